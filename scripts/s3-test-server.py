#!/usr/bin/env python3
"""s3-test-server.py STATEFILE ROOT PATH... -- an S3-compatible server (moto's server mode, from PyPI) on a free loopback
port, for the tests of archives at s3:// URLs (Tests/PGDumpCLITests/S3Tests.swift).

Signatures are checked: the first requests (made here, before anything else) create an IAM user with an access
key allowed s3:*, and from then on moto verifies every request's AWS Signature Version 4 against that key, so a
wrongly signed request fails as it would on AWS. Creates the bucket "pgdumpkit-tests" and uploads each PATH
under ROOT (a file, or a directory's files) to the same key. Writes "PORT ACCESS_KEY SECRET_KEY" to STATEFILE once ready,
then serves until killed.
"""
import json
import os
import socket
import sys
import time

# Read by moto when it is imported: the IAM setup below is this many unauthenticated requests.
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "4"
os.environ.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")

import boto3  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

state_file, root, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
server.start()
endpoint = f"http://127.0.0.1:{port}"
iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="setup", aws_secret_access_key="setup")
iam.create_user(UserName="pgdumpkit-tests")
policy = iam.create_policy(PolicyName="s3-all", PolicyDocument=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
}))
iam.attach_user_policy(UserName="pgdumpkit-tests", PolicyArn=policy["Policy"]["Arn"])
key = iam.create_access_key(UserName="pgdumpkit-tests")["AccessKey"]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
s3.create_bucket(Bucket="pgdumpkit-tests")
for path in paths:
    full = os.path.join(root, path)
    names = [os.path.join(path, name) for name in sorted(os.listdir(full))] if os.path.isdir(full) else [path]
    for name in names:
        s3.upload_file(os.path.join(root, name), "pgdumpkit-tests", name.replace(os.sep, "/"))
with open(state_file + ".tmp", "w") as out:
    out.write(f"{port} {key['AccessKeyId']} {key['SecretAccessKey']}\n")
os.rename(state_file + ".tmp", state_file)
while True:
    time.sleep(3600)
