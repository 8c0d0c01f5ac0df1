"""A tiny URLconf for the access-log tests: one API view and one page showing cadres' ID numbers."""

from django.http import HttpResponse
from django.template import Context, Template
from django.urls import include, path
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from apps.cadres.models import Cadre
from apps.core.api.fields import IdNumberField
from apps.core.scoping import scope_for


class CadreNumbers(serializers.ModelSerializer):
    id_number = IdNumberField()

    class Meta:
        model = Cadre
        fields = ["id", "id_number"]


@api_view(["GET"])
def cadre_numbers(request):
    cadres = scope_for(request.user, Cadre.objects.order_by("pk"))
    return Response(CadreNumbers(cadres, many=True, context={"request": request}).data)


def cadre_page(request, pk):
    cadre = scope_for(request.user, Cadre.objects.all()).get(pk=pk)
    template = Template("{% load touyan %}<p>{% id_number_of cadre %}</p>")
    return HttpResponse(template.render(Context({"cadre": cadre, "request": request})))


urlpatterns = [
    path("numbers/", cadre_numbers),
    path("cadre/<int:pk>/", cadre_page),
    path("", include("config.urls")),
]
