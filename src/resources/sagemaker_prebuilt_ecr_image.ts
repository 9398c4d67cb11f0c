// data "aws_sagemaker_prebuilt_ecr_image": the ECR path of a SageMaker prebuilt algorithm or framework image,
// computed from hashicorp/aws's per-region registry maps (src/aws/sagemaker-prebuilt-ecr.ts). No API call.
import { ResourceError } from '../engine/diagnostics';
import type { DataSourceType } from '../engine/resource';
import type { Schema } from '../engine/schema';
import { partitionOfRegion } from '../aws/partitions';
import { PrebuiltEcrImageError, prebuiltImage } from '../aws/sagemaker-prebuilt-ecr';
import type { AwsMeta } from '../aws/meta';
import { nonEmpty, str } from '../aws/values';
import schemaJson from '../../provider-schema/data-sources/aws_sagemaker_prebuilt_ecr_image.json';

export const sagemakerPrebuiltEcrImage: DataSourceType<AwsMeta> = {
  name: 'aws_sagemaker_prebuilt_ecr_image',
  sdkv2: true,
  schema: schemaJson as unknown as Schema,

  async read({ meta }, config) {
    const region = nonEmpty(config.region) ?? meta.region;
    // The DNS suffix is the provider's partition's, whatever region the image is in.
    const dnsSuffix = nonEmpty(config.dns_suffix) ?? partitionOfRegion(meta.region).dnsSuffix;
    try {
      const { registryId, registryPath } = prebuiltImage({ repositoryName: str(config.repository_name)!, imageTag: str(config.image_tag), region, dnsSuffix });
      return { ...config, region, id: registryId, registry_id: registryId, registry_path: registryPath };
    } catch (error) {
      if (error instanceof PrebuiltEcrImageError) throw new ResourceError('reading SageMaker AI Prebuilt ECR Image', error.message);
      throw error;
    }
  },
};
