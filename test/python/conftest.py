"""boto3 against an OpenDDB endpoint.

The endpoint comes from OPENDDB_ENDPOINT (test/libraries.boto3.test.ts starts an in-memory
server and sets it); without it, every test is skipped. Each test creates its own uniquely
named tables and deletes them afterwards.
"""
import os
import re
import uuid
from binascii import crc32

import pytest

boto3 = pytest.importorskip("boto3", reason="boto3 is not installed (pip install boto3 pytest)")
from botocore.config import Config  # noqa: E402

REGION = "us-east-1"
# Standard retry mode, max_attempts 1. botocore counts retries in `max_attempts` (this allows
# one retry: total_max_attempts 2), and in standard mode a bad x-amz-crc32 is only a reason to
# retry: once attempts run out, the answer is parsed and returned. So the suite checks for
# itself: Crc32Check fails any call whose answer has a missing or wrong checksum, and records
# any call that was retried (test_every_answer_carried_a_matching_crc32 asserts there were none).
CONFIG = Config(retries={"max_attempts": 1, "mode": "standard"})


class Crc32Check:
    """Checks the x-amz-crc32 header of every DynamoDB answer against its body.

    A mismatch (or a missing header) fails the call that received it: raised from the
    before-parse event, it propagates out of the client call.
    """

    def __init__(self):
        self.checked = 0
        self.operations = set()
        self.retried = []

    def __call__(self, operation_model, response_dict, **_):
        headers = response_dict["headers"]
        body = response_dict["body"]
        header = headers.get("x-amz-crc32")
        assert header is not None, f"{operation_model.name}: no x-amz-crc32 header (status {response_dict['status_code']})"
        assert int(header) == crc32(body) & 0xFFFFFFFF, f"{operation_model.name}: x-amz-crc32 {header} != crc32 of the body {crc32(body) & 0xFFFFFFFF}"
        self.checked += 1
        self.operations.add(operation_model.name)

    def after_call(self, model, parsed, **_):
        """Records any call that botocore had to retry (RetryAttempts > 0)."""
        attempts = parsed.get("ResponseMetadata", {}).get("RetryAttempts", 0)
        if attempts:
            self.retried.append((model.name, attempts, parsed.get("Error")))

    def watch(self, client):
        client.meta.events.register("before-parse.dynamodb", self)
        client.meta.events.register("after-call.dynamodb", self.after_call)
        return client


@pytest.fixture(scope="session")
def endpoint():
    """The OpenDDB server under test (test/libraries.boto3.test.ts starts one and sets it)."""
    url = os.environ.get("OPENDDB_ENDPOINT")
    if not url:
        pytest.skip("set OPENDDB_ENDPOINT to an OpenDDB URL")
    return url


@pytest.fixture(scope="session")
def crc_check():
    return Crc32Check()


@pytest.fixture(scope="session")
def session():
    return boto3.session.Session(aws_access_key_id="local", aws_secret_access_key="local", region_name=REGION)


@pytest.fixture(scope="session")
def client(session, endpoint, crc_check):
    return crc_check.watch(session.client("dynamodb", endpoint_url=endpoint, config=CONFIG))


@pytest.fixture(scope="session")
def dynamodb(session, endpoint, crc_check):
    """The resource API; its client has the same configuration and checksum check."""
    made = session.resource("dynamodb", endpoint_url=endpoint, config=CONFIG)
    crc_check.watch(made.meta.client)
    return made


def unique_name(hint):
    """A table name of DynamoDB's allowed characters, unique to this run."""
    return f"{re.sub(r'[^A-Za-z0-9_.-]', '_', hint)[:40]}-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def tables(client, request):
    """Creates on-demand tables for this test and deletes them after it.

    tables.create(hash=("pk", "S"), range=None, gsis=[(name, (attr, type), (attr, type) | None)])
    returns the new table's name, once the `table_exists` waiter has seen it.
    tables.name() is a fresh name, deleted afterwards if a table of that name exists then.
    """

    class Tables:
        def __init__(self):
            self.names = []

        def name(self):
            name = unique_name(request.node.name)
            self.names.append(name)
            return name

        def create(self, hash=("pk", "S"), range=None, gsis=(), name=None):
            name = name or self.name()
            attributes = {hash[0]: hash[1]}
            schema = [{"AttributeName": hash[0], "KeyType": "HASH"}]
            if range:
                attributes[range[0]] = range[1]
                schema.append({"AttributeName": range[0], "KeyType": "RANGE"})
            params = {"TableName": name, "BillingMode": "PAY_PER_REQUEST", "KeySchema": schema}
            if gsis:
                params["GlobalSecondaryIndexes"] = []
                for index_name, index_hash, index_range in gsis:
                    index_schema = [{"AttributeName": index_hash[0], "KeyType": "HASH"}]
                    attributes[index_hash[0]] = index_hash[1]
                    if index_range:
                        attributes[index_range[0]] = index_range[1]
                        index_schema.append({"AttributeName": index_range[0], "KeyType": "RANGE"})
                    params["GlobalSecondaryIndexes"].append({"IndexName": index_name, "KeySchema": index_schema, "Projection": {"ProjectionType": "ALL"}})
            params["AttributeDefinitions"] = [{"AttributeName": a, "AttributeType": t} for a, t in attributes.items()]
            client.create_table(**params)
            client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 20})
            return name

    made = Tables()
    yield made
    for name in made.names:
        try:
            client.delete_table(TableName=name)
        except client.exceptions.ResourceNotFoundException:
            pass
