"""A corpus of XSS vectors for anything that renders editor Markdown, and a parser-based check.

Reusable by every app: feed each vector through the code under test, then call
`assert_safe_html(html)`, which parses the output with html.parser (so entity tricks, odd casing
and broken markup are judged the way a browser tokenizer would see them, not by substring).
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

XSS_VECTORS = [
    # Script and style tags
    ("script tag", "<script>alert(1)</script>"),
    ("script tag uppercase", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
    ("script in paragraph", "Hello <script>alert(document.cookie)</script> world"),
    ("script split by null", "<scr\x00ipt>alert(1)</scr\x00ipt>"),
    ("style tag", "<style>body{background:url(javascript:alert(1))}</style>"),
    ("style attribute", '<p style="background:url(javascript:alert(1))">x</p>'),
    ("iframe", '<iframe src="https://evil.example/"></iframe>'),
    ("iframe srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("object", '<object data="javascript:alert(1)"></object>'),
    ("embed", '<embed src="javascript:alert(1)">'),
    ("form action", '<form action="javascript:alert(1)"><button>go</button></form>'),
    ("button formaction", '<button formaction="javascript:alert(1)">x</button>'),
    ("input autofocus", '<input autofocus onfocus="alert(1)">'),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base href", '<base href="javascript:alert(1)//">'),
    ("link import", '<link rel="import" href="https://evil.example/x.html">'),
    ("template", "<template><script>alert(1)</script></template>"),
    # Event handlers
    ("img onerror", '<img src="x" onerror="alert(1)">'),
    ("img onerror unquoted", "<img src=x onerror=alert(1)>"),
    ("body onload", '<body onload="alert(1)">'),
    ("div onmouseover", '<div onmouseover="alert(1)">hover</div>'),
    ("a onclick", '<a href="/ok" onclick="alert(1)">x</a>'),
    ("details ontoggle", '<details open ontoggle="alert(1)"><summary>s</summary></details>'),
    ("slash separator", '<img/src="x"/onerror="alert(1)">'),
    ("handler casing", '<img src=x OnErRoR=alert(1)>'),
    # javascript: and data: URLs in raw HTML
    ("a javascript", '<a href="javascript:alert(1)">x</a>'),
    ("a javascript entity", '<a href="jav&#x61;script:alert(1)">x</a>'),
    ("a javascript tab", '<a href="jav\tascript:alert(1)">x</a>'),
    ("a javascript newline entity", '<a href="java&#10;script:alert(1)">x</a>'),
    ("a javascript tab entity", '<a href="java&#9;script:alert(1)">x</a>'),
    ("a javascript control prefix", '<a href="&#1;javascript:alert(1)">x</a>'),
    ("a javascript leading space", '<a href=" javascript:alert(1)">x</a>'),
    ("a javascript casing", '<a href="JaVaScRiPt:alert(1)">x</a>'),
    ("a vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    ("a data html", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'),
    ("img javascript", '<img src="javascript:alert(1)">'),
    ("img data svg", '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">'),
    ("img data png", '<img src="data:image/png;base64,iVBORw0KGgo=">'),
    # SVG and MathML
    ("svg onload", '<svg onload="alert(1)"></svg>'),
    ("svg script", "<svg><script>alert(1)</script></svg>"),
    ("svg animate", '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>x</a></svg>'),
    ("svg use xlink", '<svg><use xlink:href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>'),
    ("svg foreignObject", "<svg><foreignObject><script>alert(1)</script></foreignObject></svg>"),
    ("math href", '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'),
    # HTML comments and conditional comments
    ("comment", "<!-- <script>alert(1)</script> -->"),
    ("comment breakout", "<!--><script>alert(1)</script>-->"),
    ("conditional comment", "<!--[if IE]><script>alert(1)</script><![endif]-->"),
    ("cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    # Malformed and nested tags
    ("unclosed script", "<script>alert(1)"),
    ("nested script", "<scr<script>ipt>alert(1)</scr</script>ipt>"),
    ("double angle", "<<script>alert(1);//<</script>"),
    ("broken attribute quote", '<img src="x" alt="a"onerror="alert(1)">'),
    ("tag in attribute", '<a title="</a><script>alert(1)</script>">x</a>'),
    ("noscript breakout", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("textarea breakout", "<textarea><script>alert(1)</script></textarea>"),
    ("title breakout", "<title><img src=x onerror=alert(1)></title>"),
    ("xmp", "<xmp><img src=x onerror=alert(1)></xmp>"),
    ("nested quotes", '<div title="a\'b"><img src=x onerror=alert(1)></div>'),
    ("null in handler", '<img src=x o\x00nerror=alert(1)>'),
    ("unicode escape", '<a href="\u006A\u0061vascript:alert(1)">x</a>'),
    # Markdown link and image syntax
    ("md link javascript", "[click](javascript:alert(1))"),
    ("md link javascript casing", "[click](JAVASCRIPT:alert(1))"),
    ("md link encoded", "[click](javascript&#58;alert(1))"),
    ("md link percent", "[click](javascript%3Aalert(1))"),
    ("md link data", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("md link vbscript", "[click](vbscript:msgbox(1))"),
    ("md image javascript", "![x](javascript:alert(1))"),
    ("md image data", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    ("md image title breakout", '![x](/a.png "a\\" onerror=\\"alert(1)")'),
    ("md image alt breakout", '![x" onerror="alert(1)](/a.png)'),
    ("md link title breakout", '[x](/a "title\\" onmouseover=\\"alert(1)")'),
    ("md reference link", "[x][evil]\n\n[evil]: javascript:alert(1)"),
    ("md autolink", "<javascript:alert(1)>"),
    ("md link in link", "[[x](javascript:alert(1))](https://example.org/)"),
    ("md attr_list handler", "Paragraph\n{: onclick=\"alert(1)\" }"),
    ("md attr_list style", "# Heading {: style=\"color:red\" onmouseover=\"alert(1)\" }"),
    ("md html block", '<div markdown="1">[x](javascript:alert(1))</div>'),
    ("md code span is text", "`<script>alert(1)</script>`"),
    ("md fenced code is text", "```html\n<script>alert(1)</script>\n```"),
    ("md footnote", "x[^1]\n\n[^1]: <img src=x onerror=alert(1)>"),
    ("md table cell", "| a |\n|---|\n| <img src=x onerror=alert(1)> |"),
    ("md heading id", '## <img src=x onerror=alert(1)>'),
    ("matrix shortcode injection", '[[matrix a"><script>alert(1)</script>]]'),
    ("fake matrix placeholder", '<div class="matrix-slice" data-matrix-models="x" onclick="alert(1)"></div>'),
]  # fmt: skip

SAFE_URL_SCHEMES = {"", "http", "https", "mailto"}
FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "textarea", "select", "option", "meta", "base", "link", "template",
    "svg", "math", "animate", "set", "use", "foreignobject", "noscript", "xmp", "title",
    "body", "html", "head", "audio", "video", "source", "track", "portal", "plaintext",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "xlink:href", "poster", "background",
    "srcset", "cite", "longdesc", "lowsrc", "dynsrc", "ping",
}  # fmt: skip
FORBIDDEN_ATTRIBUTES = {"style", "srcdoc", "http-equiv"}


class _Inspector(HTMLParser):
    def __init__(self, allowed_script_prefix):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.allowed_script_prefix = allowed_script_prefix
        self._in_script = False
        self._in_json_ld = False

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and self.allowed_script_prefix:
            src = attrs.get("src") or ""
            if src.startswith(self.allowed_script_prefix) and set(attrs) <= {"src", "defer", "type"}:
                self._in_script = True
                return
            # JSON-LD is data, never executed; its text must not hold a "<" (kb/templatetags/seo.py
            # escapes it), so it cannot close the element early.
            if attrs == {"type": "application/ld+json"}:
                self._in_json_ld = True
                return
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> tag")
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in FORBIDDEN_ATTRIBUTES:
                self.problems.append(f"{name} attribute on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = _scheme(value)
                if scheme not in SAFE_URL_SCHEMES:
                    self.problems.append(f"{scheme}: URL in {name} on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld and "<" in data:
            self.problems.append("unescaped < in JSON-LD")
        if self._in_script and data.strip():
            self.problems.append("inline script content")

    def handle_comment(self, data):
        self.problems.append("HTML comment")

    def unknown_decl(self, data):
        self.problems.append(f"declaration {data[:30]!r}")

    def handle_pi(self, data):
        self.problems.append("processing instruction")


def _scheme(url):
    # What a browser's URL parser does first (WHATWG URL): strip leading and trailing C0
    # controls and spaces, and remove every tab and newline wherever it is.
    cleaned = url.strip("".join(chr(c) for c in range(0x21)))
    cleaned = "".join(ch for ch in cleaned if ch not in "\t\n\r")
    try:
        return urlsplit(cleaned).scheme.lower()
    except ValueError:
        return "unparseable"


def html_problems(html, allowed_script_prefix=None):
    """List what is unsafe in `html`. Scripts are allowed only as empty `<script src=...>` whose
    src starts with `allowed_script_prefix` (the site's own static files on full pages)."""
    inspector = _Inspector(allowed_script_prefix)
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def assert_safe_html(html, allowed_script_prefix=None):
    problems = html_problems(html, allowed_script_prefix)
    assert not problems, f"{problems} in:\n{html[:2000]}"
