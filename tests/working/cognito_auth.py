"""Cognito user pool with a hosted domain and app clients.

Correct idioms exercised:
- ``password_policy``, ``account_recovery_setting`` (with its ``recovery_mechanism`` list in
  camelCase inside a snake_case dict), ``admin_create_user_config`` ->
  ``invite_message_template``, ``verification_message_template``,
  ``username_configuration`` as snake_case dicts;
- ``schema`` as a list of dicts with camelCase keys and a nested
  ``stringAttributeConstraints`` / ``numberAttributeConstraints`` dict under each element
  (``minLength`` / ``maxValue`` are strings in the schema);
- app client ``token_validity_units``, a list of one block in the schema, as a one-element
  list with camelCase keys (``accessToken``); numbers for token validity;
- clients created from a dict of per-client keyword arguments passed with ``**settings``
  (snake_case keyword names as dict keys).
"""

from constructs import Construct
from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_aws.cognito_user_pool import CognitoUserPool
from cdktf_cdktf_provider_aws.cognito_user_pool_client import CognitoUserPoolClient
from cdktf_cdktf_provider_aws.cognito_user_pool_domain import CognitoUserPoolDomain
from cdktf_cdktf_provider_aws.provider import AwsProvider

CLIENTS = {
    "web": {"callback_urls": ["https://app.example.com/callback"], "generate_secret": False},
    "backend": {"callback_urls": ["https://api.example.com/oauth2/idpresponse"], "generate_secret": True},
}


class AuthStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")

        pool = CognitoUserPool(
            self,
            "users",
            name="customers",
            username_attributes=["email"],
            auto_verified_attributes=["email"],
            mfa_configuration="OPTIONAL",
            deletion_protection="ACTIVE",
            software_token_mfa_configuration={"enabled": True},
            username_configuration={"case_sensitive": False},
            password_policy={
                "minimum_length": 12,
                "require_lowercase": True,
                "require_uppercase": True,
                "require_numbers": True,
                "require_symbols": False,
                "temporary_password_validity_days": 3,
            },
            account_recovery_setting={
                "recovery_mechanism": [
                    {"name": "verified_email", "priority": 1},
                    {"name": "verified_phone_number", "priority": 2},
                ]
            },
            admin_create_user_config={
                "allow_admin_create_user_only": False,
                "invite_message_template": {
                    "email_subject": "Your account",
                    "email_message": "Username {username}, temporary password {####}",
                    "sms_message": "Username {username}, code {####}",
                },
            },
            verification_message_template={"default_email_option": "CONFIRM_WITH_CODE", "email_subject": "Verify your email"},
            schema=[
                {
                    "name": "email",
                    "attributeDataType": "String",
                    "required": True,
                    "mutable": True,
                    "stringAttributeConstraints": {"minLength": "5", "maxLength": "254"},
                },
                {
                    "name": "loyalty_points",
                    "attributeDataType": "Number",
                    "mutable": True,
                    "numberAttributeConstraints": {"minValue": "0", "maxValue": "1000000"},
                },
            ],
        )
        CognitoUserPoolDomain(self, "hosted-ui", domain="customers-example", user_pool_id=pool.id)

        for name, settings in CLIENTS.items():
            CognitoUserPoolClient(
                self,
                f"client-{name}",
                name=name,
                user_pool_id=pool.id,
                allowed_oauth_flows=["code"],
                allowed_oauth_flows_user_pool_client=True,
                allowed_oauth_scopes=["openid", "email", "profile"],
                supported_identity_providers=["COGNITO"],
                explicit_auth_flows=["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"],
                access_token_validity=60,
                id_token_validity=60,
                refresh_token_validity=30,
                token_validity_units=[{"accessToken": "minutes", "idToken": "minutes", "refreshToken": "days"}],
                prevent_user_existence_errors="ENABLED",
                **settings,
            )

        TerraformOutput(self, "user_pool_id", value=pool.id)
