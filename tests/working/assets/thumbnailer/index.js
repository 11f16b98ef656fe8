// Handler packaged by tests/working/lambda_functions.py (TerraformAsset, AssetType.ARCHIVE).
exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ records: event.Records?.length ?? 0 }) });
