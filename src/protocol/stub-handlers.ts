// Stand-in provider used until the engine's handlers exist: an empty provider schema, no resources,
// and empty answers to everything else. Enough for Terraform to complete the plugin handshake.
import type { ProviderHandlers } from './tfplugin6';

export function createStubHandlers(): ProviderHandlers {
  return {
    async GetProviderSchema() {
      return {
        provider: { version: 0, block: { version: 0, attributes: [], block_types: [] } },
        resource_schemas: {},
        data_source_schemas: {},
        server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
      };
    },
    async ValidateProviderConfig() {
      return {};
    },
    async ValidateResourceConfig() {
      return {};
    },
    async UpgradeResourceState() {
      return {};
    },
    async ConfigureProvider() {
      return {};
    },
    async ReadResource() {
      return {};
    },
    async PlanResourceChange() {
      return {};
    },
    async ApplyResourceChange() {
      return {};
    },
    async ImportResourceState() {
      return {};
    },
  };
}
