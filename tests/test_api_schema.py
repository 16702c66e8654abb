"""The API against its own OpenAPI schema, property-based (schemathesis): for every operation,
generated parameters (valid and invalid) never give a server error, and every response —
200, 400 or 404 — has a documented status, type, headers and body shape; invalid parameters
are refused and valid ones accepted. Every built-in check runs (the Python API's equivalent of
``--checks all``: ``call_and_validate()`` without ``checks=`` runs each check the configuration
enables, and by default it enables all of them; the test asserts that none is switched off).
One is narrowed, not dropped: ``positive_data_acceptance`` lets pass only the 400s the API
documents for well-formed values that name nothing (an unknown slug, a cursor it never gave).

The schema is the one the app serves at /api/v1/schema/, loaded through WSGI in this
process (no network), over two directories: one made by the factories (every kind of
relation filled in) and the seed content as an operator loads it (where texts and addresses
are often left empty). The examples per operation are bounded so that the whole run stays
well under a minute."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.specs.openapi.checks import RejectedPositiveData, positive_data_acceptance

from api.filters import SLUG_PATTERN

from . import factories

# Examples per operation: valid parameters, and parameters that break the schema.
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}


def generated_directory():
    """A small directory made by the factories, every relation filled in."""
    direction = factories.direction(slug="energy", name_ru="Энергетика")
    member = factories.stakeholder(slug="tsu", name_ru="ТГУ", kind="university")
    park = factories.park(
        slug="technopark", latitude="56.480000", longitude="84.950000", area="12.50"
    )
    project = factories.project(
        slug="hydrogen",
        direction=direction,
        status="in-progress",
        budget="1000000.00",
        stakeholders=[(member, "lead")],
    )
    project.parks.add(park)
    cluster = factories.cluster(slug="smart-city", members=[(member, "member")])
    cluster.projects.add(project)
    cluster.directions.add(direction)
    article = factories.article(slug="launch", lead="A lead.", title_ru="Запуск")
    for relation, obj in (
        ("clusters", cluster),
        ("projects", project),
        ("stakeholders", member),
        ("parks", park),
        ("directions", direction),
    ):
        getattr(article, relation).add(obj)


def seeded_directory():
    """The seed content, as an operator loads it."""
    call_command("loaddata", "seed", verbosity=0)


@pytest.fixture(params=[generated_directory, seeded_directory], ids=["generated", "seeded"])
def api_schema(request, db, settings):
    settings.API_THROTTLE_RATE = None  # hundreds of requests from one address
    settings.PAGE_CACHE_SECONDS = 600  # cached answers must keep the schema too
    request.param()
    # As Django's test client does: a request through the WSGI handler must not close the
    # connection, which holds the test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_api_conforms_to_its_schema(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 17  # the root, and list and detail of each of eight models
    load_all_checks()
    failures = []
    for operation in operations:
        # Every built-in check is on for every operation (none switched off by configuration).
        config = api_schema.config.checks_config_for(operation=operation, phase=None)
        names = CHECKS.get_all_names()
        assert {"response_schema_conformance", "negative_data_rejection"} <= set(names)
        assert [name for name in names if not config.get_by_name(name=name).enabled] == []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                check_operation(operation, mode)
            except (
                Exception,
                BaseExceptionGroup,
            ) as error:  # every operation's failures, not only the first's
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert not failures, "\n\n".join(failures)


def check_operation(operation, mode):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case):
        case.call_and_validate(
            # In process (WSGI) nothing decodes a compressed answer, as an HTTP client would:
            # ask for the plain one (tests/api/test_answers.py checks the compressed one).
            headers={"Accept-Encoding": "identity"},
            excluded_checks=[positive_data_acceptance],
            additional_checks=[positive_data_acceptance_but_unknown_slugs],
        )

    run()


def opaque_parameters(operation):
    """The query parameters whose well-formed values may still name nothing: the filters that
    take slugs (a pattern in the schema, no list) and the cursor (a token the API gave)."""
    names = {"cursor"}
    for parameter in operation.definition.raw.get("parameters", []):
        items = parameter.get("schema", {}).get("items", {})
        if items.get("pattern") == SLUG_PATTERN:
            names.add(parameter["name"])
    return names


def positive_data_acceptance_but_unknown_slugs(ctx, response, case):
    """``positive_data_acceptance``, except for the refusals the API documents and a schema
    cannot state: a well-formed slug that names no published entry, or a cursor the API never
    gave, is a 400 naming that parameter (which slugs exist changes with the content, the
    schema only with the code)."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 400:
            named = set(response.json().get("errors", {}))
            if named and named <= opaque_parameters(case.operation):
                return None
        raise
