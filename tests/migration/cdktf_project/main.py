#!/usr/bin/env python
"""Three stacks: the network, the keys, and storage that uses a key of the keys stack."""

from cdktf import App

from stacks.keys import KeysStack
from stacks.network import NetworkStack
from stacks.storage import StorageStack

REGION = "us-east-1"

app = App()
NetworkStack(app, "network", REGION)
keys = KeysStack(app, "keys", REGION)
StorageStack(app, "storage", REGION, key_arn=keys.key.arn)
app.synth()
