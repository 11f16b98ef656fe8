"""Public and private hosted zones, a DNS-validated certificate and failover records.

Correct idioms exercised:
- ``TerraformIterator.from_complex_list`` over ``domain_validation_options`` with
  ``for_each`` and ``iterator.get_string(...)``, then ``from_resources`` /
  ``pluck_property`` for the validation FQDNs;
- ``alias`` as a snake_case dict (``zone_id``, ``evaluate_target_health``);
- ``failover_routing_policy`` / ``weighted_routing_policy`` as single-word-key dicts;
- a private zone's ``vpc`` list with camelCase keys (``vpcId``, ``vpcRegion``);
- ``lifecycle={"create_before_destroy": True}`` on the certificate; numbers for ``ttl`` and
  health check thresholds.
"""

from constructs import Construct
from cdktf import TerraformIterator, TerraformOutput, TerraformStack, Token
from cdktf_cdktf_provider_aws.acm_certificate import AcmCertificate
from cdktf_cdktf_provider_aws.acm_certificate_validation import AcmCertificateValidation
from cdktf_cdktf_provider_aws.provider import AwsProvider
from cdktf_cdktf_provider_aws.route53_health_check import Route53HealthCheck
from cdktf_cdktf_provider_aws.route53_record import Route53Record
from cdktf_cdktf_provider_aws.route53_zone import Route53Zone

PRIMARY_ALB = {"dns": "primary-alb-123456.eu-west-1.elb.amazonaws.com", "zone": "Z32O12XQLNTSW2"}
SECONDARY_ALB = {"dns": "secondary-alb-654321.eu-central-1.elb.amazonaws.com", "zone": "Z215JYRZR1TBD5"}


class DnsStack(TerraformStack):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        AwsProvider(self, "aws", region="eu-west-1")

        zone = Route53Zone(self, "public-zone", name="example.com", comment="public")
        Route53Zone(
            self,
            "private-zone",
            name="internal.example.com",
            vpc=[{"vpcId": "vpc-0123456789abcdef0", "vpcRegion": "eu-west-1"}],
        )

        cert = AcmCertificate(
            self,
            "cert",
            domain_name="example.com",
            subject_alternative_names=["*.example.com"],
            validation_method="DNS",
            lifecycle={"create_before_destroy": True},
        )
        validation_options = TerraformIterator.from_complex_list(cert.domain_validation_options, "domain_name")
        validation_records = Route53Record(
            self,
            "cert-validation",
            for_each=validation_options,
            allow_overwrite=True,
            zone_id=zone.zone_id,
            name=validation_options.get_string("resource_record_name"),
            type=validation_options.get_string("resource_record_type"),
            records=[validation_options.get_string("resource_record_value")],
            ttl=60,
        )
        AcmCertificateValidation(
            self,
            "cert-validated",
            certificate_arn=cert.arn,
            validation_record_fqdns=Token.as_list(
                TerraformIterator.from_resources(validation_records).pluck_property("fqdn")
            ),
        )

        health = Route53HealthCheck(
            self,
            "primary-health",
            type="HTTPS",
            fqdn=PRIMARY_ALB["dns"],
            port=443,
            resource_path="/health",
            failure_threshold=3,
            request_interval=30,
        )
        for role, target, check in (("PRIMARY", PRIMARY_ALB, health.id), ("SECONDARY", SECONDARY_ALB, None)):
            Route53Record(
                self,
                f"app-{role.lower()}",
                zone_id=zone.zone_id,
                name="app.example.com",
                type="A",
                set_identifier=role.lower(),
                health_check_id=check,
                failover_routing_policy={"type": role},
                alias={"name": target["dns"], "zone_id": target["zone"], "evaluate_target_health": True},
            )

        for weight, label in ((90, "blue"), (10, "green")):
            Route53Record(
                self,
                f"api-{label}",
                zone_id=zone.zone_id,
                name="api.example.com",
                type="CNAME",
                ttl=60,
                records=[f"{label}.api.example.com"],
                set_identifier=label,
                weighted_routing_policy={"weight": weight},
            )

        Route53Record(
            self,
            "mail",
            zone_id=zone.zone_id,
            name="example.com",
            type="MX",
            ttl=3600,
            records=["10 inbound-smtp.eu-west-1.amazonaws.com"],
        )
        TerraformOutput(self, "name_servers", value=zone.name_servers)
