// The rule lives beside the byte decoder (core/common/decode-text.ts) so detection applies it too.
export { textLooksBinary } from '../../core/common/decode-text';
