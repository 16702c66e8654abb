"""Import news articles from text files in the programme's plain-text format."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from news.importer import ArticleFormatError, parse_article
from news.models import Article


class Command(BaseCommand):
    help = (
        "Create articles from text files (title, date line, paragraphs, optional 'Source:' "
        "line). New articles are drafts unless --publish is given; an article whose slug "
        "exists already is skipped, never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--publish", action="store_true", help="Publish at the given time.")

    def handle(self, *args, files, publish, **options):
        status = Article.Status.PUBLISHED if publish else Article.Status.DRAFT
        for path in files:
            try:
                parsed = parse_article(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ArticleFormatError) as error:
                raise CommandError(f"{path}: {error}") from None
            article, created = Article.objects.get_or_create(
                slug=parsed.slug,
                defaults={
                    "title": parsed.title,
                    "body": parsed.body,
                    "published_at": parsed.published_at,
                    "source": parsed.source,
                    "status": status,
                },
            )
            verb = "Imported" if created else "Skipped (exists)"
            self.stdout.write(f"{verb}: {article.slug}")
