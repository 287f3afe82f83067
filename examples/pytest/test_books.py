from decimal import Decimal

import pytest
from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError


@pytest.fixture
def books(dynamodb):
    return dynamodb.create_table(
        TableName="books",
        KeySchema=[{"AttributeName": "author", "KeyType": "HASH"}, {"AttributeName": "year", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "author", "AttributeType": "S"}, {"AttributeName": "year", "AttributeType": "N"}],
        BillingMode="PAY_PER_REQUEST",
    )


def test_put_and_query(books):
    books.put_item(Item={"author": "Herbert", "year": 1965, "title": "Dune"})
    books.put_item(Item={"author": "Herbert", "year": 1969, "title": "Dune Messiah"})
    items = books.query(KeyConditionExpression=Key("author").eq("Herbert") & Key("year").gt(1966))["Items"]
    assert items == [{"author": "Herbert", "year": Decimal(1969), "title": "Dune Messiah"}]


def test_conditional_put_fails_like_dynamodb(books):
    books.put_item(Item={"author": "Le Guin", "year": 1969})
    with pytest.raises(ClientError) as failure:
        books.put_item(Item={"author": "Le Guin", "year": 1969}, ConditionExpression="attribute_not_exists(author)")
    assert failure.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
