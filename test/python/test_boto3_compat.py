"""boto3 / botocore work against OpenDDB unchanged.

Every test asserts what a boto3 user relies on from DynamoDB: returned values and their Python
types, error codes, HTTP statuses and messages, pagination tokens, waiters. Each test makes its
own tables (the `tables` fixture in conftest.py) and deletes them.
"""
import re
import time
import uuid
from datetime import datetime
from decimal import Decimal

import botocore
import pytest
from boto3.dynamodb.conditions import Attr, Key
from boto3.dynamodb.types import Binary
from botocore.exceptions import ClientError

# Calls here use API members older botocore releases refuse client-side (for example
# ReturnValuesOnConditionCheckFailure on single writes); Debian 12's python3-boto3 is such one.
if tuple(int(part) for part in botocore.__version__.split(".")[:2]) < (1, 34):
    pytest.skip(f"botocore {botocore.__version__} predates API members this suite uses (needs 1.34 or later)", allow_module_level=True)

ARN = re.compile(r"^arn:aws:dynamodb:us-east-1:\d{12}:table/(?P<name>[A-Za-z0-9_.-]+)$")
NOT_FOUND = "Requested resource not found"
CONDITIONAL_FAILED = "The conditional request failed"


def error_of(excinfo, code, message=None):
    """Asserts a ClientError of this code, HTTP 400 and (if given) this exact message; returns its response."""
    error = excinfo.value
    assert isinstance(error, ClientError)
    response = error.response
    assert response["Error"]["Code"] == code, response["Error"]
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["RequestId"]
    if message is not None:
        assert response["Error"]["Message"] == message
    return response


def wait_active(client, name, timeout=10.0):
    """Polls describe_table until the table and all its global indexes are ACTIVE; returns the description."""
    deadline = time.monotonic() + timeout
    while True:
        table = client.describe_table(TableName=name)["Table"]
        statuses = [table["TableStatus"]] + [index["IndexStatus"] for index in table.get("GlobalSecondaryIndexes", [])]
        if all(status == "ACTIVE" for status in statuses):
            return table
        assert time.monotonic() < deadline, f"{name} not ACTIVE after {timeout}s: {statuses}"
        time.sleep(0.05)


def fill(table, count, make):
    with table.batch_writer() as writer:
        for i in range(count):
            writer.put_item(Item=make(i))


# ---------------------------------------------------------------- tables, waiters, describe_table


def test_table_lifecycle_with_waiters_and_describe_table(client, dynamodb, tables):
    name = tables.name()
    table = dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "status", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[{
            "IndexName": "byStatus",
            "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "KEYS_ONLY"},
        }],
        BillingMode="PAY_PER_REQUEST",
    )
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 20})

    described = client.describe_table(TableName=name)["Table"]
    assert described["TableName"] == name
    assert described["TableStatus"] == "ACTIVE"
    assert described["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert sorted(described["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == [
        {"AttributeName": "pk", "AttributeType": "S"},
        {"AttributeName": "sk", "AttributeType": "N"},
        {"AttributeName": "status", "AttributeType": "S"},
    ]
    assert described["ItemCount"] == 0 and isinstance(described["ItemCount"], int)
    assert described["TableSizeBytes"] == 0
    assert ARN.match(described["TableArn"]).group("name") == name
    assert isinstance(described["CreationDateTime"], datetime)
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert described["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert described["ProvisionedThroughput"]["WriteCapacityUnits"] == 0
    [index] = described["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "byStatus"
    assert index["IndexStatus"] == "ACTIVE"
    assert index["KeySchema"] == [{"AttributeName": "status", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
    assert index["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert index["IndexArn"] == described["TableArn"] + "/index/byStatus"

    # The resource reads the same description.
    assert table.table_status == "ACTIVE"
    assert table.item_count == 0
    assert table.table_arn == described["TableArn"]
    assert [t.name for t in dynamodb.tables.all() if t.name == name] == [name]

    table.put_item(Item={"pk": "a", "sk": 1, "status": "open"})
    assert table.query(IndexName="byStatus", KeyConditionExpression=Key("status").eq("open"))["Items"] == [{"pk": "a", "sk": 1, "status": "open"}]

    deleted = table.delete()["TableDescription"]
    assert deleted["TableName"] == name and deleted["TableStatus"] == "DELETING"
    client.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 20})
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.describe_table(TableName=name)
    error_of(excinfo, "ResourceNotFoundException", f"Requested resource not found: Table: {name} not found")


def test_duplicate_create_table_is_resource_in_use(client, tables):
    name = tables.create()
    with pytest.raises(client.exceptions.ResourceInUseException) as excinfo:
        client.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    error_of(excinfo, "ResourceInUseException", f"Table already exists: {name}")


# ---------------------------------------------------------------- values and types


def test_resource_round_trips_every_type(client, dynamodb, tables):
    table = dynamodb.Table(tables.create())
    item = {
        "pk": "all-types",
        "int": 42,
        "negative": Decimal("-17.25"),
        "digits38": Decimal("1234567890123456789012345678901234567.8"),
        "digits38_small": Decimal("0.12345678901234567890123456789012345678"),
        "digits38_integer": Decimal("-12345678901234567890123456789012345678"),
        "tiny": Decimal("1E-130"),
        "binary": Binary(b"\x00\x01\xfe\xff"),
        "bytes": b"raw bytes",
        "strings": {"b", "a", "c"},
        "numbers": {Decimal("1.5"), 2, Decimal("-3")},
        "binaries": {Binary(b"\x01"), Binary(b"\x02")},
        "nested": {"list": [1, "two", {"three": [True, None]}], "map": {"deep": {"deeper": "x"}}, "empty_map": {}, "empty_list": []},
        "empty": "",
        "yes": True,
        "no": False,
        "nothing": None,
        "unicode": "żółw 🐢",
    }
    table.put_item(Item=item)
    got = table.get_item(Key={"pk": "all-types"}, ConsistentRead=True)["Item"]
    expected = dict(item, bytes=Binary(b"raw bytes"))
    assert got == expected
    assert isinstance(got["int"], Decimal) and got["int"] == Decimal(42)
    assert str(got["digits38"]) == "1234567890123456789012345678901234567.8"
    assert isinstance(got["binary"], Binary) and got["binary"].value == b"\x00\x01\xfe\xff"
    assert isinstance(got["strings"], set) and isinstance(got["numbers"], set) and isinstance(got["binaries"], set)
    assert got["nested"]["list"][2]["three"] == [True, None]
    assert got["empty"] == "" and got["nothing"] is None and got["yes"] is True and got["no"] is False

    # The same item on the wire, through the low-level client.
    raw = client.get_item(TableName=table.name, Key={"pk": {"S": "all-types"}})["Item"]
    assert raw["int"] == {"N": "42"}
    assert raw["digits38"] == {"N": "1234567890123456789012345678901234567.8"}
    assert raw["binary"] == {"B": b"\x00\x01\xfe\xff"}
    assert sorted(raw["strings"]["SS"]) == ["a", "b", "c"]
    assert sorted(Decimal(n) for n in raw["numbers"]["NS"]) == [Decimal(-3), Decimal("1.5"), Decimal(2)]
    assert sorted(raw["binaries"]["BS"]) == [b"\x01", b"\x02"]
    assert raw["empty"] == {"S": ""}
    assert raw["yes"] == {"BOOL": True}
    assert raw["nothing"] == {"NULL": True}
    assert raw["nested"]["M"]["empty_map"] == {"M": {}}
    assert raw["nested"]["M"]["empty_list"] == {"L": []}


def test_numbers_are_normalised_and_limited_like_dynamodb(client, tables):
    name = tables.create()
    client.put_item(TableName=name, Item={"pk": {"S": "n"}, "a": {"N": "0001.500"}, "b": {"N": "1.0"}, "c": {"N": "-0.0100"}, "d": {"N": "100"}})
    got = client.get_item(TableName=name, Key={"pk": {"S": "n"}})["Item"]
    assert (got["a"], got["b"], got["c"], got["d"]) == ({"N": "1.5"}, {"N": "1"}, {"N": "-0.01"}, {"N": "100"})
    # DynamoDB answers a large exponent in plain digits (which boto3's resource layer cannot read
    # back: boto/boto3#2500), so it is read through the client here.
    client.put_item(TableName=name, Item={"pk": {"S": "big"}, "a": {"N": "1E+100"}, "b": {"N": "9.9999999999999999999999999999999999999E+125"}})
    got = client.get_item(TableName=name, Key={"pk": {"S": "big"}})["Item"]
    assert got["a"] == {"N": "1" + "0" * 100}
    assert got["b"] == {"N": "9" * 38 + "0" * 88}

    with pytest.raises(ClientError) as excinfo:
        client.put_item(TableName=name, Item={"pk": {"S": "n"}, "a": {"N": "1" * 39}})
    assert "38 significant digits" in error_of(excinfo, "ValidationException")["Error"]["Message"]
    with pytest.raises(ClientError) as excinfo:
        client.put_item(TableName=name, Item={"pk": {"S": "n"}, "a": {"N": "1E+126"}})
    assert "overflow" in error_of(excinfo, "ValidationException")["Error"]["Message"].lower()
    with pytest.raises(ClientError) as excinfo:
        client.put_item(TableName=name, Item={"pk": {"S": "n"}, "a": {"N": "1E-131"}})
    assert "underflow" in error_of(excinfo, "ValidationException")["Error"]["Message"].lower()


def test_empty_string_key_is_rejected_but_allowed_elsewhere(dynamodb, tables):
    table = dynamodb.Table(tables.create(hash=("pk", "S"), range=("sk", "S")))
    table.put_item(Item={"pk": "p", "sk": "s", "note": "", "inner": {"blank": ""}, "list": [""]})
    assert table.get_item(Key={"pk": "p", "sk": "s"})["Item"] == {"pk": "p", "sk": "s", "note": "", "inner": {"blank": ""}, "list": [""]}
    with pytest.raises(ClientError) as excinfo:
        table.put_item(Item={"pk": "p", "sk": ""})
    message = error_of(excinfo, "ValidationException")["Error"]["Message"]
    assert "empty string" in message and "sk" in message


# ---------------------------------------------------------------- batches


def test_batch_writer_chunks_by_25(dynamodb, tables):
    table = dynamodb.Table(tables.create(hash=("pk", "S"), range=("sk", "N")))
    sent = []

    def count(params, **_):
        sent.append(len(params["RequestItems"].get(table.name, [])))

    events = table.meta.client.meta.events
    events.register("provide-client-params.dynamodb.BatchWriteItem", count)
    try:
        fill(table, 60, lambda i: {"pk": "batch", "sk": i, "payload": "x" * i})
    finally:
        events.unregister("provide-client-params.dynamodb.BatchWriteItem", count)
    assert sent == [25, 25, 10]
    items = table.query(KeyConditionExpression=Key("pk").eq("batch"))["Items"]
    assert [item["sk"] for item in items] == list(range(60))
    assert items[59]["payload"] == "x" * 59

    with table.batch_writer() as writer:
        for i in range(0, 60, 2):
            writer.delete_item(Key={"pk": "batch", "sk": i})
    assert table.query(KeyConditionExpression=Key("pk").eq("batch"), Select="COUNT")["Count"] == 30


def test_batch_writer_overwrite_by_pkeys_and_duplicate_keys(dynamodb, tables):
    table = dynamodb.Table(tables.create(hash=("pk", "S"), range=("sk", "S")))
    with table.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as writer:
        writer.put_item(Item={"pk": "a", "sk": "1", "v": "first"})
        writer.put_item(Item={"pk": "a", "sk": "1", "v": "second"})
        writer.put_item(Item={"pk": "a", "sk": "2", "v": "doomed"})
        writer.delete_item(Key={"pk": "a", "sk": "2"})
    assert table.query(KeyConditionExpression=Key("pk").eq("a"))["Items"] == [{"pk": "a", "sk": "1", "v": "second"}]

    # Without the de-duplication, DynamoDB refuses a batch naming one key twice.
    with pytest.raises(ClientError) as excinfo:
        with table.batch_writer() as writer:
            writer.put_item(Item={"pk": "b", "sk": "1", "v": "first"})
            writer.put_item(Item={"pk": "b", "sk": "1", "v": "second"})
    error_of(excinfo, "ValidationException", "Provided list of item keys contains duplicates")


def test_batch_get_item_over_100_keys_split_by_caller(client, dynamodb, tables):
    table = dynamodb.Table(tables.create())
    fill(table, 250, lambda i: {"pk": f"k{i:03}", "n": i, "blob": "z" * 100})
    keys = [{"pk": {"S": f"k{i:03}"}} for i in range(250)] + [{"pk": {"S": "missing"}}]

    with pytest.raises(ClientError) as excinfo:
        client.batch_get_item(RequestItems={table.name: {"Keys": keys[:101]}})
    error_of(excinfo, "ValidationException")

    found = []
    for start in range(0, len(keys), 100):
        request = {table.name: {"Keys": keys[start:start + 100], "ProjectionExpression": "pk, n"}}
        while request:
            response = client.batch_get_item(RequestItems=request)
            found.extend(response["Responses"][table.name])
            request = response.get("UnprocessedKeys") or None
    assert len(found) == 250
    assert sorted(int(item["n"]["N"]) for item in found) == list(range(250))
    assert all(set(item) == {"pk", "n"} for item in found)


# ---------------------------------------------------------------- paginators


def test_query_paginator_with_page_size_max_items_and_starting_token(client, dynamodb, tables):
    table = dynamodb.Table(tables.create(hash=("pk", "S"), range=("sk", "N")))
    fill(table, 25, lambda i: {"pk": "p", "sk": i})
    table.put_item(Item={"pk": "other", "sk": 0})
    paginator = client.get_paginator("query")
    params = {"TableName": table.name, "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "p"}}}

    pages = list(paginator.paginate(**params, PaginationConfig={"PageSize": 4}))
    assert [page["Count"] for page in pages][:6] == [4] * 6
    assert sum(page["Count"] for page in pages) == 25
    assert [int(item["sk"]["N"]) for page in pages for item in page["Items"]] == list(range(25))
    assert "LastEvaluatedKey" not in pages[-1]

    first = paginator.paginate(**params, PaginationConfig={"PageSize": 4, "MaxItems": 10}).build_full_result()
    assert [int(item["sk"]["N"]) for item in first["Items"]] == list(range(10))
    assert first["NextToken"]
    rest = paginator.paginate(**params, PaginationConfig={"PageSize": 4, "StartingToken": first["NextToken"]}).build_full_result()
    assert [int(item["sk"]["N"]) for item in rest["Items"]] == list(range(10, 25))
    assert "NextToken" not in rest

    backwards = paginator.paginate(**params, ScanIndexForward=False, PaginationConfig={"PageSize": 7, "MaxItems": 3}).build_full_result()
    assert [int(item["sk"]["N"]) for item in backwards["Items"]] == [24, 23, 22]


def test_scan_paginator_with_sparse_filtered_pages(client, dynamodb, tables):
    table = dynamodb.Table(tables.create())
    fill(table, 30, lambda i: {"pk": f"item{i}", "kind": "keep" if i % 10 == 0 else "skip", "i": i})
    paginator = client.get_paginator("scan")
    params = {"TableName": table.name, "FilterExpression": "kind = :k", "ExpressionAttributeValues": {":k": {"S": "keep"}}}

    pages = list(paginator.paginate(**params, PaginationConfig={"PageSize": 5}))
    assert all(page["ScannedCount"] <= 5 for page in pages)
    assert sum(page["ScannedCount"] for page in pages) == 30
    assert sum(1 for page in pages if page["Count"] == 0) >= 3  # sparse: most pages match nothing
    assert sorted(int(item["i"]["N"]) for page in pages for item in page["Items"]) == [0, 10, 20]

    first = paginator.paginate(**params, PaginationConfig={"PageSize": 5, "MaxItems": 2}).build_full_result()
    assert len(first["Items"]) == 2 and first["NextToken"]
    rest = paginator.paginate(**params, PaginationConfig={"PageSize": 5, "StartingToken": first["NextToken"]}).build_full_result()
    assert sorted(int(item["i"]["N"]) for item in first["Items"] + rest["Items"]) == [0, 10, 20]

    # The resource's scan with an Attr condition sees the same items.
    assert sorted(item["i"] for item in table.scan(FilterExpression=Attr("kind").eq("keep"))["Items"]) == [0, 10, 20]


def test_list_tables_paginator(client, tables):
    names = sorted(tables.create() for _ in range(3))
    paginator = client.get_paginator("list_tables")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 1}))
    assert all(len(page["TableNames"]) <= 1 for page in pages)
    listed = [name for page in pages for name in page["TableNames"]]
    assert listed == sorted(listed)
    assert [name for name in listed if name in names] == names

    first = paginator.paginate(PaginationConfig={"PageSize": 2, "MaxItems": 2}).build_full_result()
    assert len(first["TableNames"]) == 2 and first["NextToken"]
    rest = paginator.paginate(PaginationConfig={"StartingToken": first["NextToken"]}).build_full_result()
    assert first["TableNames"] + rest["TableNames"] == listed


def test_parallel_scan_covers_every_item_once(client, dynamodb, tables):
    table = dynamodb.Table(tables.create(hash=("pk", "S"), range=("sk", "N")))
    fill(table, 120, lambda i: {"pk": f"p{i % 17}", "sk": i})
    paginator = client.get_paginator("scan")
    seen = []
    per_segment = []
    for segment in range(4):
        items = paginator.paginate(TableName=table.name, Segment=segment, TotalSegments=4, PaginationConfig={"PageSize": 9}).build_full_result()["Items"]
        per_segment.append(len(items))
        seen.extend((item["pk"]["S"], int(item["sk"]["N"])) for item in items)
    assert len(seen) == 120 and len(set(seen)) == 120
    assert sorted(sk for _, sk in seen) == list(range(120))
    # Every item of one partition key falls in one segment.
    segments_of = {}
    for segment in range(4):
        for item in table.scan(Segment=segment, TotalSegments=4)["Items"]:
            segments_of.setdefault(item["pk"], set()).add(segment)
    assert all(len(s) == 1 for s in segments_of.values())
    with pytest.raises(ClientError) as excinfo:
        client.scan(TableName=table.name, Segment=4, TotalSegments=4)
    error_of(excinfo, "ValidationException")


def test_sort_key_order_is_dynamodbs(client, tables):
    """Strings sort by UTF-8 bytes (not UTF-16 units), numbers by value, binary by unsigned bytes."""
    strings = tables.create(hash=("pk", "S"), range=("sk", "S"))
    words = ["a", "A", "~", "é", "\uffff", "😀", "ﬁ", "z"]
    for word in words:
        client.put_item(TableName=strings, Item={"pk": {"S": "w"}, "sk": {"S": word}})
    got = client.query(TableName=strings, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "w"}})["Items"]
    assert [item["sk"]["S"] for item in got] == sorted(words, key=lambda w: w.encode("utf-8"))
    above = client.query(TableName=strings, KeyConditionExpression="pk = :p AND sk > :v", ExpressionAttributeValues={":p": {"S": "w"}, ":v": {"S": "\uffff"}})["Items"]
    assert [item["sk"]["S"] for item in above] == ["😀"]

    numbers = tables.create(hash=("pk", "S"), range=("sk", "N"))
    values = ["-1E+10", "-5", "-0.5", "-1E-100", "0", "1E-10", "2", "9.99", "10", "1E+100"]
    for value in reversed(values):
        client.put_item(TableName=numbers, Item={"pk": {"S": "n"}, "sk": {"N": value}})
    got = client.query(TableName=numbers, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "n"}})["Items"]
    assert [Decimal(item["sk"]["N"]) for item in got] == [Decimal(v) for v in values]

    binaries = tables.create(hash=("pk", "S"), range=("sk", "B"))
    blobs = [b"\x80", b"a", b"\x00\x00", b"\xff", b"\x00", b"\x7f"]
    for blob in blobs:
        client.put_item(TableName=binaries, Item={"pk": {"S": "b"}, "sk": {"B": blob}})
    got = client.query(TableName=binaries, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "b"}})["Items"]
    assert [item["sk"]["B"] for item in got] == sorted(blobs)
    prefixed = client.query(TableName=binaries, KeyConditionExpression="pk = :p AND begins_with(sk, :b)", ExpressionAttributeValues={":p": {"S": "b"}, ":b": {"B": b"\x00"}})["Items"]
    assert [item["sk"]["B"] for item in prefixed] == [b"\x00", b"\x00\x00"]


def test_pages_stop_at_one_megabyte(client, dynamodb, tables):
    table = dynamodb.Table(tables.create(hash=("pk", "S"), range=("sk", "N")))
    fill(table, 25, lambda i: {"pk": "big", "sk": i, "data": "x" * 100_000})
    first = client.query(TableName=table.name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "big"}})
    assert 5 <= first["Count"] < 25
    assert first["LastEvaluatedKey"] == {"pk": {"S": "big"}, "sk": {"N": str(first["Count"] - 1)}}
    pages = list(client.get_paginator("query").paginate(TableName=table.name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "big"}}, ProjectionExpression="sk"))
    assert [int(item["sk"]["N"]) for page in pages for item in page["Items"]] == list(range(25))
    assert len(pages) >= 3  # the projection does not lift the limit: it counts the items read


# ---------------------------------------------------------------- conditions and expressions


@pytest.fixture
def catalogue(dynamodb, tables):
    table = dynamodb.Table(tables.create(hash=("pk", "S"), range=("sk", "S")))
    rows = [
        {"sk": "apple", "name": "Apple", "color": "red", "price": 3, "tags": {"fruit", "sweet"}, "note": "crisp"},
        {"sk": "apricot", "name": "Apricot", "color": "orange", "price": 5, "tags": {"fruit"}},
        {"sk": "banana", "name": "Banana", "color": "yellow", "price": 2, "tags": {"fruit", "sweet"}, "note": "ripe"},
        {"sk": "beet", "name": "Beet", "color": "red", "price": "unknown", "tags": {"vegetable"}},
        {"sk": "cherry", "name": "Cherry", "color": "red", "price": 8, "tags": {"fruit", "sweet"}, "list": ["a", "b", "c"]},
        {"sk": "date", "name": "Dt", "color": "brown", "price": 13, "tags": {"fruit"}, "note": None},
    ]
    with table.batch_writer() as writer:
        for row in rows:
            writer.put_item(Item={"pk": "food", **row})
    return table


def sks(response):
    return [item["sk"] for item in response["Items"]]


def test_key_conditions_on_query(catalogue):
    food = Key("pk").eq("food")
    assert sks(catalogue.query(KeyConditionExpression=food & Key("sk").begins_with("ap"))) == ["apple", "apricot"]
    assert sks(catalogue.query(KeyConditionExpression=food & Key("sk").between("b", "cherry"))) == ["banana", "beet", "cherry"]
    assert sks(catalogue.query(KeyConditionExpression=food & Key("sk").gt("cherry"))) == ["date"]
    assert sks(catalogue.query(KeyConditionExpression=food & Key("sk").lte("apricot"), ScanIndexForward=False)) == ["apricot", "apple"]


@pytest.mark.parametrize(
    "condition, expected",
    [
        (Attr("tags").contains("sweet"), ["apple", "banana", "cherry"]),
        (Attr("name").contains("an"), ["banana"]),
        (Attr("name").begins_with("A"), ["apple", "apricot"]),
        (Attr("name").size().lt(4), ["date"]),
        (Attr("tags").size().eq(2), ["apple", "banana", "cherry"]),
        (Attr("list").size().eq(3), ["cherry"]),
        (Attr("price").attribute_type("S"), ["beet"]),
        (Attr("price").attribute_type("N") & Attr("price").between(3, 8), ["apple", "apricot", "cherry"]),
        (Attr("color").is_in(["orange", "yellow"]), ["apricot", "banana"]),
        (Attr("color").ne("red"), ["apricot", "banana", "date"]),
        (Attr("note").exists(), ["apple", "banana", "date"]),
        (Attr("note").not_exists(), ["apricot", "beet", "cherry"]),
        (Attr("note").attribute_type("NULL"), ["date"]),
        (Attr("color").eq("red") & Attr("note").not_exists(), ["beet", "cherry"]),
        (Attr("color").eq("yellow") | Attr("price").gte(8), ["banana", "cherry", "date"]),
        (~Attr("tags").contains("fruit"), ["beet"]),
        (~(Attr("color").eq("red") | Attr("color").eq("brown")) & Attr("price").lt(5), ["banana"]),
    ],
)
def test_attr_conditions_on_query_and_scan(catalogue, condition, expected):
    queried = catalogue.query(KeyConditionExpression=Key("pk").eq("food"), FilterExpression=condition)
    assert sks(queried) == expected
    assert queried["ScannedCount"] == 6
    scanned = catalogue.scan(FilterExpression=condition)
    assert sorted(sks(scanned)) == expected


def test_projection_with_reserved_words(client, catalogue):
    got = catalogue.get_item(
        Key={"pk": "food", "sk": "cherry"},
        ProjectionExpression="#n, #c, #l[1], tags",
        ExpressionAttributeNames={"#n": "name", "#c": "color", "#l": "list"},
    )["Item"]
    assert got == {"name": "Cherry", "color": "red", "list": ["b"], "tags": {"fruit", "sweet"}}
    queried = catalogue.query(
        KeyConditionExpression=Key("pk").eq("food") & Key("sk").begins_with("b"),
        ProjectionExpression="#n, #s",
        ExpressionAttributeNames={"#n": "name", "#s": "sk"},
    )["Items"]
    assert queried == [{"name": "Banana", "sk": "banana"}, {"name": "Beet", "sk": "beet"}]

    with pytest.raises(ClientError) as excinfo:
        client.get_item(TableName=catalogue.name, Key={"pk": {"S": "food"}, "sk": {"S": "cherry"}}, ProjectionExpression="name")
    error_of(excinfo, "ValidationException", "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name")


# ---------------------------------------------------------------- update_item and conditional writes


def test_update_item_expressions_and_return_values(dynamodb, tables):
    table = dynamodb.Table(tables.create())
    table.put_item(Item={"pk": "u", "count": 5, "tags": {"a", "b"}, "nums": {1, 2}, "list": [1], "gone": "x"})
    updated = table.update_item(
        Key={"pk": "u"},
        UpdateExpression="SET #c = #c + :inc, seen = if_not_exists(seen, :zero), #l = list_append(#l, :more), "
        "#h = :half - :quarter REMOVE gone ADD #t :five, tags :newtags DELETE nums :one",
        ExpressionAttributeNames={"#c": "count", "#l": "list", "#h": "half", "#t": "total"},
        ExpressionAttributeValues={
            ":inc": 1, ":zero": 0, ":more": [2, 3], ":half": Decimal("0.5"), ":quarter": Decimal("0.25"),
            ":five": 5, ":newtags": {"c"}, ":one": {1},
        },
        ReturnValues="UPDATED_NEW",
    )["Attributes"]
    assert updated == {"count": 6, "seen": 0, "list": [1, 2, 3], "half": Decimal("0.25"), "total": 5, "tags": {"a", "b", "c"}, "nums": {2}}

    old = table.update_item(
        Key={"pk": "u"},
        UpdateExpression="SET seen = if_not_exists(seen, :ten), #l = list_append(:front, #l) ADD #c :minus DELETE nums :two",
        ExpressionAttributeNames={"#l": "list", "#c": "count"},
        ExpressionAttributeValues={":ten": 10, ":front": [0], ":minus": -10, ":two": {2}},
        ReturnValues="ALL_OLD",
    )["Attributes"]
    assert old == {"pk": "u", "count": 6, "seen": 0, "list": [1, 2, 3], "half": Decimal("0.25"), "total": 5, "tags": {"a", "b", "c"}, "nums": {2}}

    # Deleting a set's last element removes the attribute.
    assert table.get_item(Key={"pk": "u"})["Item"] == {"pk": "u", "count": -4, "seen": 0, "list": [0, 1, 2, 3], "half": Decimal("0.25"), "total": 5, "tags": {"a", "b", "c"}}

    # UPDATED_OLD and ALL_NEW, and an update that creates the item.
    assert table.update_item(Key={"pk": "u"}, UpdateExpression="SET seen = :s", ExpressionAttributeValues={":s": 1}, ReturnValues="UPDATED_OLD")["Attributes"] == {"seen": 0}
    assert table.update_item(Key={"pk": "new"}, UpdateExpression="ADD hits :one", ExpressionAttributeValues={":one": 1}, ReturnValues="ALL_NEW")["Attributes"] == {"pk": "new", "hits": 1}


def test_condition_failure_is_a_client_error_with_the_old_item(client, dynamodb, tables):
    table = dynamodb.Table(tables.create())
    table.put_item(Item={"pk": "c", "count": 5, "owner": "ann"})

    with pytest.raises(ClientError) as excinfo:
        client.update_item(
            TableName=table.name,
            Key={"pk": {"S": "c"}},
            UpdateExpression="SET #c = #c + :one",
            ConditionExpression="#c > :limit",
            ExpressionAttributeNames={"#c": "count"},
            ExpressionAttributeValues={":one": {"N": "1"}, ":limit": {"N": "100"}},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    response = error_of(excinfo, "ConditionalCheckFailedException", CONDITIONAL_FAILED)
    assert response["Item"] == {"pk": {"S": "c"}, "count": {"N": "5"}, "owner": {"S": "ann"}}

    # The modeled exception class catches it too, on the client and on the resource's client.
    with pytest.raises(client.exceptions.ConditionalCheckFailedException) as excinfo:
        table.put_item(Item={"pk": "c"}, ConditionExpression=Attr("pk").not_exists())
    assert "Item" not in error_of(excinfo, "ConditionalCheckFailedException", CONDITIONAL_FAILED)
    try:
        table.delete_item(Key={"pk": "c"}, ConditionExpression=Attr("owner").eq("bob"))
        pytest.fail("the delete should have failed its condition")
    except table.meta.client.exceptions.ConditionalCheckFailedException as caught:
        assert caught.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert table.get_item(Key={"pk": "c"})["Item"] == {"pk": "c", "count": 5, "owner": "ann"}

    # A condition that holds.
    table.delete_item(Key={"pk": "c"}, ConditionExpression=Attr("owner").eq("ann") & Attr("count").lt(10))
    assert "Item" not in table.get_item(Key={"pk": "c"})


# ---------------------------------------------------------------- transactions


def test_transact_write_cancellation_reasons(client, tables):
    name = tables.create()
    client.put_item(TableName=name, Item={"pk": {"S": "guard"}, "locked": {"BOOL": True}})
    client.put_item(TableName=name, Item={"pk": {"S": "counter"}, "n": {"N": "1"}})

    with pytest.raises(client.exceptions.TransactionCanceledException) as excinfo:
        client.transact_write_items(TransactItems=[
            {"Put": {"TableName": name, "Item": {"pk": {"S": "new"}}}},
            {"ConditionCheck": {
                "TableName": name, "Key": {"pk": {"S": "guard"}},
                "ConditionExpression": "locked = :no", "ExpressionAttributeValues": {":no": {"BOOL": False}},
                "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
            }},
            {"Update": {"TableName": name, "Key": {"pk": {"S": "counter"}}, "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        ])
    response = error_of(
        excinfo, "TransactionCanceledException",
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]",
    )
    reasons = response["CancellationReasons"]
    assert [reason["Code"] for reason in reasons] == ["None", "ConditionalCheckFailed", "None"]
    assert reasons[1]["Message"] == CONDITIONAL_FAILED
    assert reasons[1]["Item"] == {"pk": {"S": "guard"}, "locked": {"BOOL": True}}
    # Nothing was written.
    assert "Item" not in client.get_item(TableName=name, Key={"pk": {"S": "new"}})
    assert client.get_item(TableName=name, Key={"pk": {"S": "counter"}})["Item"]["n"] == {"N": "1"}


def test_transact_write_idempotency_and_transact_get(client, tables):
    name = tables.create()
    token = uuid.uuid4().hex
    request = [
        {"Update": {"TableName": name, "Key": {"pk": {"S": "a"}}, "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        {"Put": {"TableName": name, "Item": {"pk": {"S": "b"}, "v": {"S": "bee"}}}},
    ]
    client.transact_write_items(TransactItems=request, ClientRequestToken=token)
    client.transact_write_items(TransactItems=request, ClientRequestToken=token)  # the same request again: no second effect
    assert client.get_item(TableName=name, Key={"pk": {"S": "a"}})["Item"]["n"] == {"N": "1"}

    with pytest.raises(client.exceptions.IdempotentParameterMismatchException) as excinfo:
        client.transact_write_items(TransactItems=request[:1], ClientRequestToken=token)
    error_of(excinfo, "IdempotentParameterMismatchException")

    client.transact_write_items(TransactItems=request, ClientRequestToken=uuid.uuid4().hex)  # a new token: applied
    got = client.transact_get_items(TransactItems=[
        {"Get": {"TableName": name, "Key": {"pk": {"S": "a"}}}},
        {"Get": {"TableName": name, "Key": {"pk": {"S": "missing"}}}},
        {"Get": {"TableName": name, "Key": {"pk": {"S": "b"}}, "ProjectionExpression": "v"}},
    ])["Responses"]
    assert len(got) == 3
    assert got[0]["Item"] == {"pk": {"S": "a"}, "n": {"N": "2"}}
    assert not (got[1] or {}).get("Item")
    assert got[2]["Item"] == {"v": {"S": "bee"}}

    with pytest.raises(ClientError) as excinfo:
        client.transact_write_items(TransactItems=[request[0], {"Delete": {"TableName": name, "Key": {"pk": {"S": "a"}}}}])
    error_of(excinfo, "ValidationException", "Transaction request cannot include multiple operations on one item")


# ---------------------------------------------------------------- PartiQL


def test_partiql_statements(client, tables):
    name = tables.create(hash=("pk", "S"), range=("sk", "N"))
    for sk in (1, 2, 3):
        client.execute_statement(Statement=f'INSERT INTO "{name}" VALUE {{\'pk\': ?, \'sk\': ?, \'qty\': ?}}', Parameters=[{"S": "p"}, {"N": str(sk)}, {"N": str(sk * 10)}])
    with pytest.raises(client.exceptions.DuplicateItemException) as excinfo:
        client.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'pk': 'p', 'sk': 1}}")
    error_of(excinfo, "DuplicateItemException")

    selected = client.execute_statement(Statement=f'SELECT * FROM "{name}" WHERE pk = ?', Parameters=[{"S": "p"}])["Items"]
    assert [(item["sk"]["N"], item["qty"]["N"]) for item in selected] == [("1", "10"), ("2", "20"), ("3", "30")]
    one = client.execute_statement(Statement=f"SELECT qty FROM \"{name}\" WHERE pk = 'p' AND sk = 2")["Items"]
    assert one == [{"qty": {"N": "20"}}]

    client.execute_statement(Statement=f"UPDATE \"{name}\" SET qty = qty + 5 SET label = 'x' WHERE pk = 'p' AND sk = 2")
    client.execute_statement(Statement=f"DELETE FROM \"{name}\" WHERE pk = 'p' AND sk = 3")
    after = client.execute_statement(Statement=f'SELECT sk, qty, label FROM "{name}" WHERE pk = ?', Parameters=[{"S": "p"}])["Items"]
    assert after == [{"sk": {"N": "1"}, "qty": {"N": "10"}}, {"sk": {"N": "2"}, "qty": {"N": "25"}, "label": {"S": "x"}}]

    # A conditional UPDATE whose WHERE does not hold fails like a condition expression.
    with pytest.raises(client.exceptions.ConditionalCheckFailedException):
        client.execute_statement(Statement=f"UPDATE \"{name}\" SET qty = 0 WHERE pk = 'p' AND sk = 1 AND qty = 999")


def test_partiql_batch_and_transaction(client, tables):
    name = tables.create()
    written = client.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 'a', 'n': 1}}"},
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': ?, 'n': ?}}", "Parameters": [{"S": "b"}, {"N": "2"}]},
    ])["Responses"]
    assert len(written) == 2 and all("Error" not in r for r in written)

    again = client.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 'a', 'n': 1}}"},
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 'c', 'n': 3}}"},
    ])["Responses"]
    assert again[0]["Error"]["Code"] == "DuplicateItem"
    assert "Error" not in again[1]

    read = client.batch_execute_statement(Statements=[
        {"Statement": f"SELECT * FROM \"{name}\" WHERE pk = 'a'"},
        {"Statement": f"SELECT n FROM \"{name}\" WHERE pk = ?", "Parameters": [{"S": "c"}]},
        {"Statement": f"SELECT * FROM \"{name}\" WHERE pk = 'nobody'"},
    ])["Responses"]
    assert read[0]["Item"] == {"pk": {"S": "a"}, "n": {"N": "1"}}
    assert read[1]["Item"] == {"n": {"N": "3"}}
    assert "Item" not in read[2] and "Error" not in read[2]

    client.execute_transaction(TransactStatements=[
        {"Statement": f"UPDATE \"{name}\" SET n = n + 10 WHERE pk = 'a'"},
        {"Statement": f"DELETE FROM \"{name}\" WHERE pk = 'b'"},
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 'd', 'n': 4}}"},
    ])
    rows = {item["pk"]["S"]: item["n"]["N"] for item in client.scan(TableName=name)["Items"]}
    assert rows == {"a": "11", "c": "3", "d": "4"}

    with pytest.raises(client.exceptions.TransactionCanceledException) as excinfo:
        client.execute_transaction(TransactStatements=[
            {"Statement": f"UPDATE \"{name}\" SET n = 0 WHERE pk = 'a'"},
            {"Statement": f"UPDATE \"{name}\" SET n = 0 WHERE pk = 'c' AND n = 999"},
        ])
    codes = [reason["Code"] for reason in error_of(excinfo, "TransactionCanceledException")["CancellationReasons"]]
    assert codes == ["None", "ConditionalCheckFailed"]
    assert client.get_item(TableName=name, Key={"pk": {"S": "a"}})["Item"]["n"] == {"N": "11"}


# ---------------------------------------------------------------- TTL, tags, update_table


def test_time_to_live(client, tables):
    name = tables.create()
    assert client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]["TimeToLiveStatus"] == "DISABLED"
    spec = client.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
    assert spec["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "expires"}
    described = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    assert described["AttributeName"] == "expires"
    assert described["TimeToLiveStatus"] in ("ENABLING", "ENABLED")


def test_tags(client, tables):
    name = tables.create()
    arn = client.describe_table(TableName=name)["Table"]["TableArn"]
    assert client.list_tags_of_resource(ResourceArn=arn)["Tags"] == []
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "storage"}, {"Key": "env", "Value": "test"}])
    tags = client.list_tags_of_resource(ResourceArn=arn)["Tags"]
    assert sorted(tags, key=lambda t: t["Key"]) == [{"Key": "env", "Value": "test"}, {"Key": "team", "Value": "storage"}]
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "prod"}])
    client.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert client.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "env", "Value": "prod"}]


def test_update_table_adds_a_queryable_gsi(client, dynamodb, tables):
    table = dynamodb.Table(tables.create())
    fill(table, 20, lambda i: {"pk": f"u{i}", "team": "red" if i % 2 else "blue", "joined": i})
    client.update_table(
        TableName=table.name,
        AttributeDefinitions=[{"AttributeName": "team", "AttributeType": "S"}, {"AttributeName": "joined", "AttributeType": "N"}],
        GlobalSecondaryIndexUpdates=[{"Create": {
            "IndexName": "byTeam",
            "KeySchema": [{"AttributeName": "team", "KeyType": "HASH"}, {"AttributeName": "joined", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["pk"]},
        }}],
    )
    client.get_waiter("table_exists").wait(TableName=table.name, WaiterConfig={"Delay": 1, "MaxAttempts": 20})
    described = wait_active(client, table.name)
    [index] = described["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "byTeam" and index["IndexStatus"] == "ACTIVE"
    assert index["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["pk"]}

    red = table.query(IndexName="byTeam", KeyConditionExpression=Key("team").eq("red") & Key("joined").gte(15))["Items"]
    assert red == [{"pk": "u15", "team": "red", "joined": 15}, {"pk": "u17", "team": "red", "joined": 17}, {"pk": "u19", "team": "red", "joined": 19}]
    table.put_item(Item={"pk": "late", "team": "blue", "joined": 100})
    blue = table.query(IndexName="byTeam", KeyConditionExpression=Key("team").eq("blue"), ScanIndexForward=False, Limit=2)
    assert [item["pk"] for item in blue["Items"]] == ["late", "u18"]
    assert blue["LastEvaluatedKey"] == {"pk": "u18", "team": "blue", "joined": 18}


def test_streams_through_the_dynamodbstreams_client(client, session, endpoint, tables):
    from boto3.dynamodb.types import TypeDeserializer

    name = tables.name()
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 20})
    described = client.describe_table(TableName=name)["Table"]
    assert described["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    stream_arn = described["LatestStreamArn"]
    assert stream_arn.startswith(described["TableArn"] + "/stream/")

    client.put_item(TableName=name, Item={"pk": {"S": "s"}, "n": {"N": "1"}})
    client.update_item(TableName=name, Key={"pk": {"S": "s"}}, UpdateExpression="SET n = n + :one", ExpressionAttributeValues={":one": {"N": "1"}})
    client.delete_item(TableName=name, Key={"pk": {"S": "s"}})

    streams = session.client("dynamodbstreams", endpoint_url=endpoint, config=client.meta.config)
    assert [s["StreamArn"] for s in streams.list_streams(TableName=name)["Streams"]] == [stream_arn]
    stream = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]
    assert stream["StreamStatus"] == "ENABLED" and stream["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert stream["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    records = []
    for shard in stream["Shards"]:
        iterator = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records.extend(streams.get_records(ShardIterator=iterator)["Records"])
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    assert all(r["eventSource"] == "aws:dynamodb" and r["dynamodb"]["Keys"] == {"pk": {"S": "s"}} for r in records)
    assert isinstance(records[0]["dynamodb"]["ApproximateCreationDateTime"], datetime)
    deserialize = TypeDeserializer().deserialize
    modify = records[1]["dynamodb"]
    assert {k: deserialize(v) for k, v in modify["OldImage"].items()} == {"pk": "s", "n": 1}
    assert {k: deserialize(v) for k, v in modify["NewImage"].items()} == {"pk": "s", "n": 2}
    assert "NewImage" not in records[2]["dynamodb"] and records[2]["dynamodb"]["OldImage"]["n"] == {"N": "2"}
    sequence = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert sequence == sorted(sequence)


def test_consumed_capacity(client, tables):
    name = tables.create()
    put = client.put_item(TableName=name, Item={"pk": {"S": "c"}, "v": {"S": "small"}}, ReturnConsumedCapacity="TOTAL")
    assert put["ConsumedCapacity"] == {"TableName": name, "CapacityUnits": 1.0}
    eventual = client.get_item(TableName=name, Key={"pk": {"S": "c"}}, ReturnConsumedCapacity="TOTAL")
    assert eventual["ConsumedCapacity"] == {"TableName": name, "CapacityUnits": 0.5}
    strong = client.get_item(TableName=name, Key={"pk": {"S": "c"}}, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    assert strong["ConsumedCapacity"] == {"TableName": name, "CapacityUnits": 1.0}


# ---------------------------------------------------------------- errors


def test_missing_table_is_resource_not_found(client, dynamodb):
    name = f"missing-{uuid.uuid4().hex}"
    table = dynamodb.Table(name)
    calls = [
        lambda: client.get_item(TableName=name, Key={"pk": {"S": "x"}}),
        lambda: client.put_item(TableName=name, Item={"pk": {"S": "x"}}),
        lambda: client.delete_item(TableName=name, Key={"pk": {"S": "x"}}),
        lambda: client.update_item(TableName=name, Key={"pk": {"S": "x"}}, UpdateExpression="SET a = :a", ExpressionAttributeValues={":a": {"S": "a"}}),
        lambda: table.query(KeyConditionExpression=Key("pk").eq("x")),
        lambda: table.scan(),
    ]
    for call in calls:
        with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
            call()
        error_of(excinfo, "ResourceNotFoundException", NOT_FOUND)


def test_key_validation_errors(client, tables):
    name = tables.create()
    with pytest.raises(ClientError) as excinfo:
        client.get_item(TableName=name, Key={"pk": {"N": "1"}})
    error_of(excinfo, "ValidationException", "The provided key element does not match the schema")
    with pytest.raises(ClientError) as excinfo:
        client.put_item(TableName=name, Item={"pk": {"N": "1"}})
    error_of(excinfo, "ValidationException", "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N")
    with pytest.raises(ClientError) as excinfo:
        client.put_item(TableName=name, Item={"other": {"S": "1"}})
    error_of(excinfo, "ValidationException", "One or more parameter values were invalid: Missing the key pk in the item")
    with pytest.raises(ClientError) as excinfo:
        client.get_item(TableName=name, Key={"pk": {"S": "1"}, "extra": {"S": "2"}})
    error_of(excinfo, "ValidationException", "The provided key element does not match the schema")


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda c, t: c.query(TableName=t, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "a"}, ":x": {"S": "b"}}),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}",
        ),
        (
            lambda c, t: c.update_item(TableName=t, Key={"pk": {"S": "a"}}, UpdateExpression="SET v = :v"),
            "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v",
        ),
        (
            lambda c, t: c.update_item(TableName=t, Key={"pk": {"S": "a"}}, UpdateExpression="SET #v = :v", ExpressionAttributeValues={":v": {"S": "x"}}),
            "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #v",
        ),
        (
            lambda c, t: c.update_item(TableName=t, Key={"pk": {"S": "a"}}, UpdateExpression="SET total = :v", ExpressionAttributeValues={":v": {"N": "1"}}),
            "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: total",
        ),
        (
            lambda c, t: c.update_item(TableName=t, Key={"pk": {"S": "a"}}, UpdateExpression="SET pk = :v", ExpressionAttributeValues={":v": {"S": "b"}}),
            "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key",
        ),
        (
            lambda c, t: c.update_item(TableName=t, Key={"pk": {"S": "a"}}, UpdateExpression="ADD l :v", ExpressionAttributeValues={":v": {"L": []}}),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST",
        ),
        (
            lambda c, t: c.query(TableName=t, KeyConditionExpression="pk = :p", FilterExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "a"}}),
            "Filter Expression can only contain non-primary key attributes: Primary key attribute: pk",
        ),
        (
            lambda c, t: c.query(TableName=t, IndexName="byG", ConsistentRead=True, KeyConditionExpression="g = :g", ExpressionAttributeValues={":g": {"S": "a"}}),
            "Consistent reads are not supported on global secondary indexes",
        ),
        (
            lambda c, t: c.put_item(TableName=t, Item={"pk": {"S": "a"}, "big": {"S": "x" * 410_000}}),
            "Item size has exceeded the maximum allowed size",
        ),
        (
            lambda c, t: c.put_item(TableName=t, Item={"pk": {"S": "a"}}, ReturnValues="ALL_NEW"),
            "ReturnValues can only be ALL_OLD or NONE",
        ),
    ],
)
def test_validation_messages(client, tables, call, message):
    name = tables.create(gsis=[("byG", ("g", "S"), None)])
    with pytest.raises(ClientError) as excinfo:
        call(client, name)
    error_of(excinfo, "ValidationException", message)


def test_every_answer_carried_a_matching_crc32(client, crc_check, tables):
    name = tables.create()
    before = crc_check.checked
    client.put_item(TableName=name, Item={"pk": {"S": "big"}, "text": {"S": "ü" * 50_000}})
    assert client.get_item(TableName=name, Key={"pk": {"S": "big"}})["Item"]["text"]["S"] == "ü" * 50_000
    with pytest.raises(ClientError):
        client.get_item(TableName=name, Key={"pk": {"N": "1"}})
    assert crc_check.checked == before + 3  # two answers and one error, each with a matching x-amz-crc32
    get_item = client.meta.service_model.operation_model("GetItem")
    with pytest.raises(AssertionError, match="x-amz-crc32"):  # the check would catch a bad one
        crc_check(operation_model=get_item, response_dict={"headers": {"x-amz-crc32": "1"}, "body": b"{}", "status_code": 200})
    assert client.meta.config.retries["mode"] == "standard"
    assert crc_check.retried == []  # no call of the whole run needed a retry
