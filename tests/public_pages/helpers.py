"""The seeded entries the checks name, and the public pages every check visits."""

PHARMA = "pharmaceutics-medical-equipment-and-it"
CENTER = "national-research-medical-center"
FASO_SLUG = "federal-agency-for-scientific-organizations"
MARCH_ARTICLE = "federal-agency-of-scientific-organizations-ino-tomsk-project-has-prompted"


PAGES = [
    "/",
    "/about/",
    "/news/",
    f"/news/{MARCH_ARTICLE}/",
    "/projects/",
    f"/projects/{CENTER}/",
    "/clusters/",
    f"/clusters/{PHARMA}/",
    "/stakeholders/",
    f"/stakeholders/{FASO_SLUG}/",
    "/parks/",
    "/search/?q=medical",
]
