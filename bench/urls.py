"""The site's URLs plus /bench/trivial/, the baseline of the throughput ratios."""

from django.http import HttpResponse
from django.urls import path

from inotomsk.urls import urlpatterns as site_patterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *site_patterns]
