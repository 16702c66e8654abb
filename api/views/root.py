"""The API's root: the addresses of its endpoints."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from .base import PublicAPIMixin


class APIRootView(PublicAPIMixin, APIView):
    """The endpoints of the API, the schema and its documentation."""

    endpoints = [
        "article",
        "project",
        "stakeholder",
        "park",
        "cluster",
        "direction",
        "park-type",
        "key-figure",
        "event",
        "roadmap-action",
        "document",
    ]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        links = {name: reverse(f"api:{name}-list", request=request) for name in self.endpoints}
        links["schema"] = reverse("api:schema", request=request)
        links["docs"] = reverse("api:docs", request=request)
        return Response(links)
