"""What the public may see of the programme's roadmap, pages and documents."""

from portal.managers import PublishableQuerySet


class PageQuerySet(PublishableQuerySet):
    def placed(self, placement):
        return self.published().filter(placement=placement)
