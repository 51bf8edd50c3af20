"""S3: every bucket call names the bucket in `bucketName`."""

from driftq.events.mapping import on

_B = "requestParameters.bucketName"

EVENTS = {
    "aws_s3_bucket": on("CreateBucket DeleteBucket PutBucketTagging DeleteBucketTagging PutBucketPolicy DeleteBucketPolicy PutBucketVersioning PutBucketEncryption DeleteBucketEncryption", _B),
    "aws_s3_bucket_policy": on("PutBucketPolicy DeleteBucketPolicy", _B),
    "aws_s3_bucket_versioning": on("PutBucketVersioning", _B),
    "aws_s3_bucket_server_side_encryption_configuration": on("PutBucketEncryption DeleteBucketEncryption", _B),
    "aws_s3_bucket_public_access_block": on("PutBucketPublicAccessBlock DeleteBucketPublicAccessBlock", _B),
    "aws_s3_bucket_lifecycle_configuration": on("PutBucketLifecycle PutBucketLifecycleConfiguration DeleteBucketLifecycle", _B),
    "aws_s3_bucket_logging": on("PutBucketLogging", _B),
    "aws_s3_bucket_ownership_controls": on("PutBucketOwnershipControls DeleteBucketOwnershipControls", _B),
    "aws_s3_bucket_cors_configuration": on("PutBucketCors DeleteBucketCors", _B),
    "aws_s3_bucket_acl": on("PutBucketAcl", _B),
    # account-level: the events name no resource, the account's one block is rescanned
    "aws_s3_account_public_access_block": on("PutAccountPublicAccessBlock DeleteAccountPublicAccessBlock"),
}  # fmt: skip
