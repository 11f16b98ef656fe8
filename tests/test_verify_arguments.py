"""`verify`'s made-up stack arguments (cdktf_fix.verify.arguments), without jsii: values by name and
annotation, defaults left out, props classes built recursively, and what cannot be built named."""

from __future__ import annotations

import enum
import importlib
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Literal, Mapping, NamedTuple, Optional, Sequence, Tuple, TypedDict, Union

import pytest

from cdktf_fix.verify import arguments
from cdktf_fix.verify.arguments import ARN, CannotBuild, NoStackBuilt, build_stacks, call_arguments, value_for

Construct = type("Construct", (), {"__module__": "constructs"})  # as constructs.Construct reads, without jsii
Vpc = type("Vpc", (Construct,), {"__module__": "cdktf_cdktf_provider_aws.vpc"})


def call(target, skip: int = 2) -> str:
    """The made-up call, as verify reports it."""
    args, kwargs = call_arguments(target, skip)
    return arguments.call_text("S", [m.text for m in args], kwargs)


def value(name: str, annotation=arguments._EMPTY):
    return value_for(name, annotation, lambda cls: cls.__module__ == __name__).value


# -- values by name and annotation -------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("region", "us-east-1"), ("aws_region", "us-east-1"), ("stateBucketRegion", "us-east-1"),
    ("availability_zone", "us-east-1a"), ("az", "us-east-1a"),
    ("environment_suffix", "test"), ("environment", "test"), ("env", "test"), ("stage", "test"), ("suffix", "test"),
    ("vpc_cidr", "10.0.0.0/16"), ("cidr_block", "10.0.0.0/16"),
    ("account_id", "123456789012"), ("name_prefix", "test"), ("bucket_name", "test"),
    ("alert_email", "test@example.com"), ("domain_name", "example.com"),
    ("db_secret_arn", ARN), ("roleArn", ARN), ("warning_level", "test"), ("anything", "test"),
])
def test_strings_by_name(name, expected):
    assert value(name, str) == expected
    assert value(name) == expected  # unannotated: the same
    assert value(name, Any) == expected


def test_the_arn_is_a_valid_one():
    partition, service, region, account, resource = ARN.split(":", 5)[1:]
    assert (ARN.startswith("arn:"), partition, service, account) == (True, "aws", "iam", "123456789012") and resource


@pytest.mark.parametrize("name, annotation, expected", [
    ("port", int, 443), ("db_port", int, 443), ("desired_count", int, 2), ("min_size", int, 2), ("timeout", int, 1),
    ("ratio", float, 1.0), ("enable_logging", bool, True),
    ("subnet_cidrs", List[str], ["10.0.0.0/16"]), ("ports", list[int], [1]), ("zones", Sequence[str], ["us-east-1a"]),
    ("names", list, ["test"]), ("pair", Tuple[str, ...], ("test",)), ("ids", set[str], {"test"}),
    ("tags", dict, {}), ("tags", Dict[str, str], {}), ("labels", Mapping[str, int], {}), ("default_tags", arguments._EMPTY, {}),
    ("bucket", Optional[str], None), ("bucket", str | None, None), ("vpc", Optional[Vpc], None), ("x", None, None),
    ("either", Union[int, str], 1), ("mode", Literal["dev", "prod"], "dev"),
])
def test_values_by_annotation(name, annotation, expected):
    made = value(name, annotation)
    assert made == expected and type(made) is type(expected)


class Tier(enum.Enum):
    SMALL = "small"
    LARGE = "large"


def test_an_enum_is_its_first_member():
    assert value("tier", Tier) is Tier.SMALL
    assert value_for("tier", Tier, lambda cls: True).text == "Tier.SMALL"


# -- signatures --------------------------------------------------------------------------


def test_defaults_are_left_out_and_the_rest_made_up():
    class S:
        def __init__(self, scope: Construct, id: str, environment_suffix: str, *, region: str = "us-east-1",
                     tags: dict = None, vpc_cidr: str):
            pass

    assert call(S) == 'S(environment_suffix="test", vpc_cidr="10.0.0.0/16")'


def test_positional_only_keyword_only_and_var_arguments():
    class PositionalOnly:
        def __init__(self, scope, id, environment_suffix: str, /, port: int, *rest, region: str, **kwargs):
            pass

    class KwargsOnly:
        def __init__(self, scope, id, **kwargs):
            pass

    class ArgsOnly:
        def __init__(self, *args, **kwargs):
            pass

    class ScopeThenArgs:
        def __init__(self, scope, *args, stage: str):
            pass

    class NoInit:
        pass

    assert call(PositionalOnly) == 'S("test", port=443, region="us-east-1")'
    assert call(KwargsOnly) == call(ArgsOnly) == "S()"
    assert call(ScopeThenArgs) == 'S(stage="test")'
    assert call(NoInit, skip=0) == "S()"


def test_a_stack_that_takes_no_scope_and_id_cannot_be_built():
    class OnlyScope:
        def __init__(self, scope):
            pass

    with pytest.raises(CannotBuild, match="takes no 2 positional arguments first"):
        call_arguments(OnlyScope, 2)


@dataclass
class Network:
    vpc_cidr: str
    azs: List[str]
    nat_gateways: int
    tags: Dict[str, str] = field(default_factory=dict)
    flow_logs: Optional[str] = None


@dataclass
class StackProps:
    environment_suffix: str
    network: Network
    tier: Tier
    alarm_email: Optional[str]
    region: str = "eu-west-1"


def test_a_props_dataclass_is_built_recursively():
    class S:
        def __init__(self, scope, id, environment_suffix: str, props: StackProps):
            pass

    args, kwargs = call_arguments(S, 2)
    props = kwargs["props"].value
    assert props == StackProps("test", Network("10.0.0.0/16", ["us-east-1a"], 1), Tier.SMALL, None)
    assert call(S) == (
        'S(environment_suffix="test", props=StackProps(environment_suffix="test", network=Network(vpc_cidr="10.0.0.0/16", '
        'azs=["us-east-1a"], nat_gateways=1), tier=Tier.SMALL, alarm_email=None))'
    )


class Config:
    def __init__(self, project_name: str, retention_days: int, *, ports: List[int] = (80,)):
        self.project_name, self.retention_days = project_name, retention_days


class Endpoint(NamedTuple):
    domain: str
    port: int


class Settings(TypedDict, total=False):
    region: str


class Limits(TypedDict):
    max_size: int
    account: str


def test_plain_classes_named_tuples_and_typed_dicts_are_built():
    assert vars(value("config", Config)) == {"project_name": "test", "retention_days": 1}
    assert value("endpoint", Endpoint) == Endpoint("example.com", 443)
    assert value("settings", Settings) == {}
    assert value("limits", Limits) == {"account": "123456789012", "max_size": 2}


class Node:
    def __init__(self, child: Node):
        pass


class Exploding:
    def __init__(self, name: str):
        raise ValueError("name must be prod")


@dataclass
class NeedsVpc:
    environment: str
    vpc: Vpc


def test_what_cannot_be_built_is_named():
    class S:
        def __init__(self, scope: Construct, id: str, environment_suffix: str, network: Vpc):
            pass

    with pytest.raises(CannotBuild, match=r"^network: Vpc \(a construct\)$"):
        call_arguments(S, 2)
    cases = [
        ("props", NeedsVpc, r"^props: NeedsVpc -> vpc: Vpc \(a construct\)$"),
        ("path", Path, r"^path: Path \(a class from outside the sample\)$"),
        ("root", Node, r"^root: Node -> child: Node -> child: Node -> child: Node -> child: Node \(classes nested more than 4 deep\)$"),
        ("thing", Exploding, r"^thing: Exploding \(Exploding\(\.\.\.\) raised ValueError: name must be prod\)$"),
        ("either", Union[Vpc, Path], r"^either: Vpc \(a construct\)$"),
        ("scope", "Construct", r"^scope: Construct \(an annotation that does not resolve\)$"),
        ("fn", callable, r"^fn: callable \(a type verify cannot make up\)$"),
    ]
    for name, annotation, message in cases:
        with pytest.raises(CannotBuild, match=message):
            value(name, annotation)


def test_only_the_samples_own_classes_are_built():
    with pytest.raises(CannotBuild, match="outside the sample"):
        value_for("config", Config, lambda cls: False)
    assert value_for("config", Config, lambda cls: True).text == 'Config(project_name="test", retention_days=1)'


def test_string_annotations_that_do_not_resolve_are_tolerated():
    def stack(scope, id, environment_suffix, subnets, vpc, other):
        pass

    # set here: as written, pyflakes would look the names up
    stack.__annotations__ = {"environment_suffix": "str", "subnets": "List[str]", "vpc": "Optional[Missing]", "other": "Missing | None"}
    args, kwargs = call_arguments(stack, 2)
    assert {k: m.value for k, m in kwargs.items()} == {"environment_suffix": "test", "subnets": ["test"], "vpc": None, "other": None}

    def needs(scope, id, network):
        pass

    needs.__annotations__ = {"network": "Missing"}

    with pytest.raises(CannotBuild, match=r"^network: Missing \(an annotation that does not resolve\)$"):
        call_arguments(needs, 2)


def test_postponed_annotations_in_a_module_of_the_sample(tmp_path, monkeypatch):
    (tmp_path / "sample_props.py").write_text(textwrap.dedent('''
        from __future__ import annotations

        from dataclasses import dataclass
        from typing import TYPE_CHECKING, Optional

        if TYPE_CHECKING:
            from constructs import Construct


        @dataclass
        class Props:
            environment_suffix: str
            instance_count: int
            key_name: Optional[str]


        class Stack:
            def __init__(self, scope: Construct, id: str, props: Props, region: str, enabled: bool):
                self.props, self.region, self.enabled = props, region, enabled
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("sample_props")
    try:
        [stack] = build_stacks("app", [(module.Stack, "stack")], str(tmp_path))
        assert (stack.props, stack.region, stack.enabled) == (module.Props("test", 2, None), "us-east-1", True)
        assert arguments.CALLS == [
            'verify called Stack(app, "stack", props=Props(environment_suffix="test", instance_count=2, key_name=None), region="us-east-1", enabled=True)'
        ]
        with pytest.raises(NoStackBuilt, match=r"Stack needs props: Props \(a class from outside the sample\)$"):
            build_stacks("app", [(module.Stack, "stack")], str(tmp_path / "elsewhere"))
    finally:
        sys.modules.pop("sample_props", None)


# -- build_stacks ------------------------------------------------------------------------


class Built:
    def __init__(self, scope, id, environment_suffix: str, **kwargs):
        self.scope, self.id, self.environment_suffix = scope, id, environment_suffix


class Unbuildable:
    def __init__(self, scope, id, vpc: Vpc, peer: Vpc):
        pass


def test_build_stacks_skips_what_it_cannot_build_and_says_so():
    [stack] = build_stacks("app", [(Unbuildable, "unbuildable"), (Built, "built")])
    assert (stack.scope, stack.id, stack.environment_suffix) == ("app", "built", "test")
    assert arguments.CALLS == [
        "verify skipped Unbuildable needs vpc: Vpc (a construct)",
        'verify called Built(app, "built", environment_suffix="test")',
    ]


def test_build_stacks_that_can_build_none_raises_no_stack_built():
    with pytest.raises(NoStackBuilt) as raised:
        build_stacks("app", [(Unbuildable, "a"), (Unbuildable, "b")])
    assert str(raised.value) == (
        "no entry, and no stack can be built from made-up arguments: "
        "Unbuildable needs vpc: Vpc (a construct); Unbuildable needs vpc: Vpc (a construct)"
    )


# -- real synth (slow): one verify_units call, one jsii start ----------------------------

PROVIDER = '''from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
'''
CONFIG = '''from dataclasses import dataclass, field
from typing import Dict, List, Optional


@dataclass
class StackProps:
    project_name: str
    availability_zones: List[str]
    retention_days: int
    tags: Dict[str, str] = field(default_factory=dict)
    kms_key_arn: Optional[str] = None
'''
TAP_STACK = '''from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
''' + PROVIDER + '''
from lib.config import StackProps


class TapStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str, props: StackProps, *, region: str = "us-west-2"):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region=region)
        bucket = S3Bucket(self, "logs", bucket=f"{props.project_name}-logs-{environment_suffix}", tags=props.tags)
        TerraformOutput(self, "zone", value=props.availability_zones[0])
        TerraformOutput(self, "bucket", value=bucket.bucket)
'''
NEEDS_CONSTRUCT = '''from constructs import Construct
from cdktf import TerraformStack
''' + PROVIDER + '''

class NetworkConstruct(Construct):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)


class AppStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, environment_suffix: str, network: NetworkConstruct):
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="us-east-1")
'''
POSTPONED = '''from __future__ import annotations

from typing import TYPE_CHECKING

from cdktf import TerraformStack
''' + PROVIDER + '''
if TYPE_CHECKING:
    from constructs import Construct


class VpcStack(TerraformStack):
    def __init__(self, scope: Construct, construct_id: str, environment_suffix: str, private_subnet_ids: list[str], **kwargs):
        super().__init__(scope, construct_id)
        AwsProvider(self, "aws", region="us-east-1")
        S3Bucket(self, "b", bucket=f"vpc-{environment_suffix}-{private_subnet_ids[0]}")


class MainStack(TerraformStack):
    def __init__(self, scope: Construct, construct_id: str, aws_region: str, **kwargs):
        super().__init__(scope, construct_id)
        AwsProvider(self, "aws", region=aws_region)
        S3Bucket(self, "main", bucket="main")
        VpcStack(scope, "vpc", environment_suffix="dev", private_subnet_ids=["subnet-1", "subnet-2"])


class PeeringStack(TerraformStack):
    def __init__(self, scope: Construct, construct_id: str, peer: VpcStack):
        super().__init__(scope, construct_id)
'''


@pytest.fixture(scope="module")
def synth_results(tmp_path_factory):
    import shutil

    from cdktf_fix.verify import Unit, verify_units

    if shutil.which("node") is None:
        pytest.skip("node is needed for a real synth")
    root = tmp_path_factory.mktemp("arguments")
    fence = lambda code: f"```python\n{code}```\n"  # noqa: E731
    (root / "RESPONSE.md").write_text(
        "The configuration:\n\n## lib/config.py\n\n" + fence(CONFIG) + "\nThe stack:\n\n## lib/tap_stack.py\n\n" + fence(TAP_STACK)
    )
    (root / "needs_construct.py").write_text(NEEDS_CONSTRUCT)
    (root / "postponed.py").write_text(POSTPONED)
    units = [Unit("RESPONSE.md", root / "RESPONSE.md", "markdown"), Unit("needs_construct.py", root / "needs_construct.py", "file"),
             Unit("postponed.py", root / "postponed.py", "file")]
    return {r.name: r for r in verify_units(units, jobs=1, timeout=60)}


@pytest.mark.slow
def test_a_stack_with_an_environment_suffix_and_props_is_synthesized(synth_results):
    result = synth_results["RESPONSE.md"]
    assert (result.status, result.stacks, result.failure_class) == ("ok", ["tap_stack"], None), result
    assert result.detail == (
        'verify called TapStack(app, "tap_stack", environment_suffix="test", props=StackProps(project_name="test", '
        'availability_zones=["us-east-1a"], retention_days=1))\n'
    )


@pytest.mark.slow
def test_a_stack_that_needs_a_construct_is_no_entry_naming_it(synth_results):
    result = synth_results["needs_construct.py"]
    assert (result.status, result.failure_class, result.stacks) == ("no-entry", "no-entry", []), result
    assert result.error == "no entry, and no stack can be built from made-up arguments: AppStack needs network: NetworkConstruct (a construct)"


@pytest.mark.slow
def test_only_root_stacks_are_built_and_postponed_annotations_resolve(synth_results):
    result = synth_results["postponed.py"]
    assert (result.status, result.stacks) == ("ok", ["main_stack", "vpc"]), result
    assert result.detail == (
        "verify skipped PeeringStack needs peer: VpcStack (a construct)\n"
        'verify called MainStack(app, "main_stack", aws_region="us-east-1")\n'
    )
