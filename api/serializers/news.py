"""The news articles' serializer."""

from news.models import Article

from .base import Links, PublicSerializer


class ArticleSerializer(PublicSerializer):
    endpoint = "article"
    clusters = Links("cluster")
    directions = Links("direction")
    projects = Links("project")
    stakeholders = Links("stakeholder")
    parks = Links("park")

    class Meta:
        model = Article
        list_fields = [
            "url",
            "slug",
            "title",
            "lead",
            "published_at",
            "updated_at",
            "source",
            "source_url",
            "image",
            "image_alt",
            "clusters",
            "directions",
            "projects",
            "stakeholders",
            "parks",
            "web_url",
        ]
        fields = [*list_fields, "body"]
