from django.shortcuts import get_object_or_404, render

from models_catalog.models import AIModel, License


def model_list(request):
    models = AIModel.objects.for_listing()
    return render(request, "models_catalog/aimodel_list.html", {"models": models})


def model_detail(request, slug):
    model = get_object_or_404(AIModel.objects.for_listing(), slug=slug)
    return render(request, "models_catalog/aimodel_detail.html", {"model": model})


def matrix(request):
    return render(request, "models_catalog/matrix.html", {})


def license_detail(request, slug):
    license = get_object_or_404(License, slug=slug)
    return render(request, "models_catalog/license_detail.html", {"license": license})
