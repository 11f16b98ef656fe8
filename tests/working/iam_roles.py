"""IAM roles and policies written four ways: policy documents, json.dumps, Fn.jsonencode and
managed policy attachments.

Correct idioms exercised:
- DataAwsIamPolicyDocument with ``statement`` as a list of dicts with single-word keys and
  nested ``principals`` / ``condition`` lists, mixed with explicit struct classes
  (DataAwsIamPolicyDocumentStatement, ...Principals, ...Condition);
- ``not_actions`` written through the struct class (a multi-word field) and as
  ``notActions`` in a statement dict (a list element: jsii reads camelCase);
- IamRole ``inline_policy`` as a list of dicts with single-word keys;
- policy JSON built with ``json.dumps`` (PascalCase AWS keys, not Terraform fields);
- IamInstanceProfile, IamRolePolicyAttachment in a loop over managed policy ARNs.
"""

import json

from constructs import Construct
from cdktf import TerraformStack
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_iam_policy_document import (
    DataAwsIamPolicyDocument,
    DataAwsIamPolicyDocumentStatement,
    DataAwsIamPolicyDocumentStatementCondition,
    DataAwsIamPolicyDocumentStatementPrincipals,
)
from cdktf_cdktf_provider_aws.iam_instance_profile import IamInstanceProfile
from cdktf_cdktf_provider_aws.iam_policy import IamPolicy
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.provider import AwsProvider

MANAGED_POLICIES = [
    "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
]


class IamStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="us-east-1")
        caller = DataAwsCallerIdentity(self, "caller")

        ec2_trust = DataAwsIamPolicyDocument(
            self,
            "ec2-trust",
            statement=[
                {
                    "effect": "Allow",
                    "actions": ["sts:AssumeRole"],
                    "principals": [{"type": "Service", "identifiers": ["ec2.amazonaws.com"]}],
                }
            ],
        )
        instance_role = IamRole(
            self,
            "instance-role",
            name="app-instance",
            assume_role_policy=ec2_trust.json,
            inline_policy=[
                {
                    "name": "read-config",
                    "policy": json.dumps(
                        {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": ["ssm:GetParameter", "ssm:GetParametersByPath"],
                                    "Resource": "arn:aws:ssm:*:*:parameter/app/*",
                                }
                            ],
                        }
                    ),
                }
            ],
        )
        for index, arn in enumerate(MANAGED_POLICIES):
            IamRolePolicyAttachment(self, f"instance-managed-{index}", role=instance_role.name, policy_arn=arn)
        IamInstanceProfile(self, "instance-profile", name="app-instance", role=instance_role.name)

        github_trust = DataAwsIamPolicyDocument(
            self,
            "github-trust",
            statement=[
                DataAwsIamPolicyDocumentStatement(
                    effect="Allow",
                    actions=["sts:AssumeRoleWithWebIdentity"],
                    principals=[
                        DataAwsIamPolicyDocumentStatementPrincipals(
                            type="Federated",
                            identifiers=[
                                f"arn:aws:iam::{caller.account_id}:oidc-provider/token.actions.githubusercontent.com"
                            ],
                        )
                    ],
                    condition=[
                        DataAwsIamPolicyDocumentStatementCondition(
                            test="StringLike",
                            variable="token.actions.githubusercontent.com:sub",
                            values=["repo:example/orders:*"],
                        ),
                        {
                            "test": "StringEquals",
                            "variable": "token.actions.githubusercontent.com:aud",
                            "values": ["sts.amazonaws.com"],
                        },
                    ],
                )
            ],
        )
        deploy_role = IamRole(
            self,
            "deploy-role",
            name="github-deploy",
            assume_role_policy=github_trust.json,
            max_session_duration=3600,
        )

        deploy_permissions = DataAwsIamPolicyDocument(
            self,
            "deploy-permissions",
            statement=[
                {
                    "sid": "StateBucket",
                    "effect": "Allow",
                    "actions": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
                    "resources": ["arn:aws:s3:::orders-tf-state", "arn:aws:s3:::orders-tf-state/*"],
                },
                DataAwsIamPolicyDocumentStatement(
                    sid="NoIamWrites",
                    effect="Deny",
                    not_actions=["iam:Get*", "iam:List*", "iam:PassRole"],
                    resources=["*"],
                ),
                {
                    "sid": "StayInEurope",
                    "effect": "Deny",
                    "notActions": ["iam:*", "sts:*", "support:*"],
                    "resources": ["*"],
                    "condition": [
                        {"test": "StringNotEquals", "variable": "aws:RequestedRegion", "values": ["eu-west-1", "eu-central-1"]}
                    ],
                },
            ],
        )
        policy = IamPolicy(
            self,
            "deploy-policy",
            name="github-deploy",
            policy=deploy_permissions.json,
            tags={"Owner": "platform"},
        )
        IamRolePolicyAttachment(self, "deploy-attach", role=deploy_role.name, policy_arn=policy.arn)
