/** Pools: several endpoints served as one provider, with load spreading and fail-over. */
export {
  PoolProvider,
  type PoolMember,
  type PoolMemberStatus,
  type PoolOptions,
  type PoolMemory,
  type PoolSnapshot,
} from './pool-provider';
