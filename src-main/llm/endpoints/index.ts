/** Remote endpoints (keys in the SecretStore) and turning a ProviderRef into a live provider. */
export type { Endpoint, ProviderRef } from './endpoint-types';
export { EndpointRegistry, type AddEndpointInput } from './endpoint-registry';
export { ProviderResolver, type ProviderResolverOptions } from './provider-resolver';
