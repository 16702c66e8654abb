"""Requests to the API and reading its answers."""

API = "/api/v1"


def get(client, url, status=200, **extra):
    response = client.get(url, **extra)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json", url
    return response.json()


def slugs(data):
    rows = data["results"] if isinstance(data, dict) else data
    return [row.get("slug", row.get("number")) for row in rows]
