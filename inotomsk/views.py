"""Public pages of the portal."""

from django.views.generic import DetailView, ListView, TemplateView

from clusters.models import Cluster
from news.models import Article
from portal.models import Direction, KeyFact, Park, Project, Stakeholder


class HomeView(TemplateView):
    template_name = "home.html"


class AboutView(TemplateView):
    template_name = "about.html"


class ProjectListView(ListView):
    queryset = Project.objects.published()


class ProjectDetailView(DetailView):
    queryset = Project.objects.published()


class StakeholderListView(ListView):
    queryset = Stakeholder.objects.published()


class StakeholderDetailView(DetailView):
    queryset = Stakeholder.objects.published()


class ParkListView(ListView):
    queryset = Park.objects.published()


class ParkDetailView(DetailView):
    queryset = Park.objects.published()


class ClusterListView(ListView):
    queryset = Cluster.objects.published()


class ClusterDetailView(DetailView):
    queryset = Cluster.objects.published()


class ArticleListView(ListView):
    queryset = Article.objects.published()


class ArticleDetailView(DetailView):
    queryset = Article.objects.published()


__all__ = ["Direction", "KeyFact"]
