//! The SAM policy templates (`- S3ReadPolicy: {BucketName: x}` in `Policies`), by name.
//!
//! From `samtranslator/policy_templates_data/policy_templates.json` of
//! aws/serverless-application-model (commit 7000d0a3b, 81 templates). None of them has a
//! statement with `Action: "*"` (the widest is `textract:*`), a `Deny`, or any `iam:` action,
//! so none decides CIS 1.24 (full `*:*` administrator policies) or 1.18 (the IAM Master and
//! Manager roles): a known template adds nothing the controls read. A name not listed here
//! (a template newer than this list, or a typo the transform would reject) is a document
//! cislint cannot read, never a pass.

/// The names of the policy templates the SAM transform knows, sorted.
const NAMES: &[&str] = &[
    "AMIDescribePolicy",
    "AWSSecretsManagerGetSecretValuePolicy",
    "AWSSecretsManagerRotationPolicy",
    "AcmGetCertificatePolicy",
    "AthenaQueryPolicy",
    "CloudFormationDescribeStacksPolicy",
    "CloudWatchDashboardPolicy",
    "CloudWatchDescribeAlarmHistoryPolicy",
    "CloudWatchPutMetricPolicy",
    "CodeCommitCrudPolicy",
    "CodeCommitReadPolicy",
    "CodePipelineLambdaExecutionPolicy",
    "CodePipelineReadOnlyPolicy",
    "ComprehendBasicAccessPolicy",
    "CostExplorerReadOnlyPolicy",
    "DynamoDBBackupFullAccessPolicy",
    "DynamoDBCrudPolicy",
    "DynamoDBReadPolicy",
    "DynamoDBReconfigurePolicy",
    "DynamoDBRestoreFromBackupPolicy",
    "DynamoDBStreamReadPolicy",
    "DynamoDBWritePolicy",
    "EC2CopyImagePolicy",
    "EC2DescribePolicy",
    "EFSWriteAccessPolicy",
    "EKSDescribePolicy",
    "EcsRunTaskPolicy",
    "ElasticMapReduceAddJobFlowStepsPolicy",
    "ElasticMapReduceCancelStepsPolicy",
    "ElasticMapReduceModifyInstanceFleetPolicy",
    "ElasticMapReduceModifyInstanceGroupsPolicy",
    "ElasticMapReduceSetTerminationProtectionPolicy",
    "ElasticMapReduceTerminateJobFlowsPolicy",
    "ElasticsearchHttpPostPolicy",
    "EventBridgePutEventsPolicy",
    "FilterLogEventsPolicy",
    "FirehoseCrudPolicy",
    "FirehoseWritePolicy",
    "KMSDecryptPolicy",
    "KMSEncryptPolicy",
    "KMSEncryptPolicy_v2",
    "KinesisCrudPolicy",
    "KinesisStreamReadPolicy",
    "LambdaInvokePolicy",
    "MobileAnalyticsWriteOnlyAccessPolicy",
    "OrganizationsListAccountsPolicy",
    "PinpointEndpointAccessPolicy",
    "PollyFullAccessPolicy",
    "RekognitionDetectOnlyPolicy",
    "RekognitionFacesManagementPolicy",
    "RekognitionFacesPolicy",
    "RekognitionLabelsPolicy",
    "RekognitionNoDataAccessPolicy",
    "RekognitionReadPolicy",
    "RekognitionWriteOnlyAccessPolicy",
    "Route53ChangeResourceRecordSetsPolicy",
    "S3CrudPolicy",
    "S3FullAccessPolicy",
    "S3ReadPolicy",
    "S3WritePolicy",
    "SESBulkTemplatedCrudPolicy",
    "SESBulkTemplatedCrudPolicy_v2",
    "SESCrudPolicy",
    "SESEmailTemplateCrudPolicy",
    "SESSendBouncePolicy",
    "SNSCrudPolicy",
    "SNSPublishMessagePolicy",
    "SQSPollerPolicy",
    "SQSSendMessagePolicy",
    "SSMParameterReadPolicy",
    "SSMParameterWithSlashPrefixReadPolicy",
    "SageMakerCreateEndpointConfigPolicy",
    "SageMakerCreateEndpointPolicy",
    "ServerlessRepoReadWriteAccessPolicy",
    "StepFunctionsCallbackPolicy",
    "StepFunctionsExecutionPolicy",
    "StepFunctionsExecutionPolicy_v2",
    "TextractDetectAnalyzePolicy",
    "TextractGetResultPolicy",
    "TextractPolicy",
    "VPCAccessPolicy",
];

/// Whether `name` is a SAM policy template.
pub fn is_known(name: &str) -> bool {
    NAMES.binary_search(&name).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_sorted_for_binary_search() {
        assert!(super::NAMES.windows(2).all(|w| w[0] < w[1]));
        assert!(super::is_known("S3ReadPolicy"));
        assert!(super::is_known("DynamoDBCrudPolicy"));
        assert!(!super::is_known("AdministratorAccess"));
    }
}
