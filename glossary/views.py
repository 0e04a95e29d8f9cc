from django.shortcuts import get_object_or_404, render

from glossary.models import Term


def term_list(request):
    return render(request, "glossary/term_list.html", {"terms": Term.objects.all()})


def term_detail(request, slug):
    term = get_object_or_404(Term.objects.with_aliases(), slug=slug)
    return render(request, "glossary/term_detail.html", {"term": term})
