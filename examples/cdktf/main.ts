// The aws_sagemaker_model documentation's CDKTF TypeScript example ("Basic usage" in
// website/docs/cdktf/typescript/r/sagemaker_model.html.markdown of hashicorp/terraform-provider-aws), with two
// changes: the provider bindings come prebuilt from @cdktf/provider-aws instead of `cdktf get` (./.gen), and the
// stack configures the AWS provider for a local AWS-compatible endpoint, like examples/basic/main.tf does (and, at the
// end, drops cdktf's implicit backend block; see there).
// Running this program (`npm run synth`) writes cdktf.out/stacks/sagemaker-model/cdk.tf.json.
import { Construct } from "constructs";
import { App, Token, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DataAwsSagemakerPrebuiltEcrImage } from "@cdktf/provider-aws/lib/data-aws-sagemaker-prebuilt-ecr-image";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { SagemakerModel } from "@cdktf/provider-aws/lib/sagemaker-model";

/** URL of the AWS-compatible endpoint (bin/local-aws, or LocalStack); read when the program synthesises. */
const endpoint = process.env.LOCAL_AWS_ENDPOINT ?? "http://127.0.0.1:4566";

class MyConvertedCode extends TerraformStack {
  constructor(scope: Construct, name: string) {
    super(scope, name);
    // Not in the documentation: the provider configuration for the local endpoint.
    new AwsProvider(this, "aws", {
      region: "us-west-2",
      accessKey: "test",
      secretKey: "test",
      skipCredentialsValidation: true,
      skipRequestingAccountId: true,
      skipMetadataApiCheck: "true",
      endpoints: [
        {
          iam: endpoint,
          sagemaker: endpoint,
          sts: endpoint,
        },
      ],
    });
    // From here on, the documentation's code as `cdktf convert` produced it.
    const assumeRole = new DataAwsIamPolicyDocument(this, "assume_role", {
      statement: [
        {
          actions: ["sts:AssumeRole"],
          principals: [
            {
              identifiers: ["sagemaker.amazonaws.com"],
              type: "Service",
            },
          ],
        },
      ],
    });
    const test = new DataAwsSagemakerPrebuiltEcrImage(this, "test", {
      repositoryName: "kmeans",
    });
    const example = new IamRole(this, "example", {
      assumeRolePolicy: Token.asString(assumeRole.json),
    });
    const awsSagemakerModelExample = new SagemakerModel(this, "example_3", {
      executionRoleArn: example.arn,
      name: "my-model",
      primaryContainer: {
        image: Token.asString(test.registryPath),
      },
    });
    /*This allows the Terraform resource name to match the original name. You can remove the call if you don't need them to match.*/
    awsSagemakerModelExample.overrideLogicalId("example");
  }
}

const app = new App();
const stack = new MyConvertedCode(app, "sagemaker-model");
// cdktf gives every stack an explicit local backend (an absolute path to terraform.<stack>.tfstate beside the
// program), and Terraform refuses to plan with an explicit backend until `terraform init` has run. With the provider
// taken from dev_overrides, init is not run (it would still look the provider up in the registry), so the stack
// drops that backend and keeps Terraform's default: terraform.tfstate in the synthesised stack directory.
stack.addOverride("terraform.backend", undefined);
app.synth();
