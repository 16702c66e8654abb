"""The API against its own OpenAPI schema, property-based (schemathesis): for every operation,
generated parameters (valid and invalid) never give a server error, and every response —
200, 400 or 404 — has a documented status, type and body shape.

The schema is the one the app serves at /api/v1/schema/, loaded through WSGI in this
process (no network), over a small directory in both languages. The examples per operation are
bounded so that the whole run stays well under a minute."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from . import factories

# Examples per operation: valid parameters, and parameters that break the schema.
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(db, settings):
    settings.API_THROTTLE_RATE = None  # hundreds of requests from one address
    settings.PAGE_CACHE_SECONDS = 600  # cached answers must keep the schema too
    direction = factories.direction(slug="energy", name_ru="Энергетика")
    member = factories.stakeholder(slug="tsu", name_ru="ТГУ", kind="university")
    park = factories.park(slug="technopark", latitude="56.480000", area="12.50")
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
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            check_operation(operation, mode)


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
        case.call_and_validate(checks=CHECKS)

    run()
