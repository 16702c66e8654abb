"""A tiny URLconf for the page-cache tests, independent of the public templates."""

from django.contrib import admin
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.cache import never_cache

from news.models import Article
from portal.models import Direction


def directions(request):
    names = ", ".join(Direction.objects.values_list("name", flat=True)) or "none"
    greeting = f"Hello {request.user.username}. " if request.user.is_authenticated else ""
    return HttpResponse(greeting + names)


def articles(request):
    return HttpResponse(", ".join(Article.objects.published().values_list("title", flat=True)))


def rename_all(request):
    # Like an admin bulk action: QuerySet.update() sends no signals.
    Direction.objects.update(name="Renamed in bulk")
    return HttpResponse("done")


def with_form(request):
    return HttpResponse(f"token {get_token(request)} {Direction.objects.count()}")


@never_cache
def private(request):
    return HttpResponse(str(Direction.objects.count()))


def healthz(request):
    return HttpResponse(str(Direction.objects.count()))


urlpatterns = [
    path("admin/", admin.site.urls),
    path("directions/", directions),
    path("articles/", articles),
    path("rename-all/", rename_all),
    path("with-form/", with_form),
    path("private/", private),
    path("healthz", healthz),
]
