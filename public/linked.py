"""What a cluster or a strategic direction is, and what is linked to it, for the pages that
list no project under it: the cluster's page and the project list filtered by one cluster or
direction. Instead of a bare "nothing here", they show the programme's own wording (the key
figure that names all the clusters, or all the directions) where the entry has no description
of its own, and the news and stakeholders linked to it.

Each helper is one query, run only where the page needs it.
"""

from django.db.models import Exists, OuterRef, Q

from clusters.models import ClusterMembership
from cms.translated import localized
from news.models import Article
from portal.models import KeyFact, Project, ProjectStakeholder, Stakeholder

from .news import latest_news_about

STAKEHOLDERS_SHOWN = 10
# The key figure whose wording names them all ("INO Tomsk project is based on 6 innovation
# territorial clusters: …"), found by what the directory counts for it.
NAMING_FIGURE = {
    "cluster": KeyFact.LiveCount.CLUSTERS,
    "direction": KeyFact.LiveCount.DIRECTIONS,
}
# How projects and articles link to a cluster or a direction.
RELATIONS = {
    "cluster": {"projects": "clusters", "articles": "clusters"},
    "direction": {"projects": "direction", "articles": "directions"},
}


def naming_figure(kind):
    """The key figure whose wording names every cluster (or direction), or None."""
    return KeyFact.objects.filter(live_count=NAMING_FIGURE[kind]).order_by("order").first()


def linked_stakeholders(kind, obj):
    """Published stakeholders linked to ``obj``: a cluster's members, and those taking part in
    its published projects or named by its published news; by name, one more than shown."""
    relation = RELATIONS[kind]
    projects = Project.objects.published().filter(**{relation["projects"]: obj}).values("pk")
    articles = Article.objects.published().filter(**{relation["articles"]: obj}).values("pk")
    linked = Exists(
        ProjectStakeholder.objects.filter(stakeholder=OuterRef("pk"), project__in=projects)
    ) | Exists(
        Article.stakeholders.through.objects.filter(
            stakeholder=OuterRef("pk"), article__in=articles
        )
    )
    if kind == "cluster":
        linked |= Q(
            Exists(ClusterMembership.objects.filter(stakeholder=OuterRef("pk"), cluster=obj))
        )
    # By name as the page shows it (the Russian one on /ru/ where there is one).
    found = Stakeholder.objects.published().filter(linked).order_by(localized("name"), "pk")
    return list(found[: STAKEHOLDERS_SHOWN + 1])


def about_empty_list(kind, obj):
    """For a project list filtered by ``obj`` alone that lists nothing: what it is (its
    summary, else the key figure naming them all) and what is linked to it (news,
    stakeholders, and a direction's clusters). Three or four queries."""
    news_relation = RELATIONS[kind]["articles"]
    about = {
        "kind": kind,
        "object": obj,
        "figure": None if obj.summary else naming_figure(kind),
        "news": latest_news_about(obj, news_relation),
        "news_param": kind,
        "stakeholders": linked_stakeholders(kind, obj),
        "stakeholders_shown": STAKEHOLDERS_SHOWN,
        "clusters": list(obj.clusters.published()) if kind == "direction" else [],
    }
    about["is_linked"] = bool(about["news"] or about["stakeholders"] or about["clusters"])
    return about
