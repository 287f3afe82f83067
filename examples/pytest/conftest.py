"""Starts `openddb --in-memory --port 0` once for the test session and points boto3 at it."""
import os
import re
import shlex
import subprocess

import pytest

boto3 = pytest.importorskip("boto3", reason="boto3 is not installed (pip install boto3 pytest)")

# `npx openddb` in a project that has it installed; OPENDDB_COMMAND overrides it.
COMMAND = shlex.split(os.environ.get("OPENDDB_COMMAND", "npx openddb"))


@pytest.fixture(scope="session")
def dynamodb_endpoint():
    server = subprocess.Popen(COMMAND + ["--in-memory", "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        for line in server.stdout:
            match = re.search(r"listening on (http://\S+)", line)
            if match:
                break
        else:
            raise RuntimeError("openddb exited before it was listening")
        yield match.group(1)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def dynamodb(dynamodb_endpoint):
    """A boto3 resource on the session's server; every table is dropped after each test."""
    resource = boto3.resource(
        "dynamodb",
        endpoint_url=dynamodb_endpoint,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    yield resource
    for table in resource.tables.all():
        table.delete()
