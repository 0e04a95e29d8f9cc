"""The site's Atom feeds are always well-formed XML, whatever text editors or imports stored.

XML 1.0 forbids most C0 control characters (and a few other code points); Django's feed writer
raises on them, which turned a stray control character in a title or note into a 500 for every
feed reader. They carry no meaning in a title or summary, so they are dropped on the way out.
"""

import re

from django.utils.feedgenerator import Atom1Feed

# Everything XML 1.0 does not allow: C0 controls other than tab, LF and CR; lone surrogates;
# U+FFFE and U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value):
    return NOT_XML.sub("", value) if isinstance(value, str) else value


class XmlSafeAtomFeed(Atom1Feed):
    def __init__(self, *args, **kwargs):
        super().__init__(
            *[xml_text(arg) for arg in args], **{k: xml_text(v) for k, v in kwargs.items()}
        )

    def add_item(self, *args, **kwargs):
        super().add_item(
            *[xml_text(arg) for arg in args], **{k: xml_text(v) for k, v in kwargs.items()}
        )
