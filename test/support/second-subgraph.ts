// The demo hr subgraph lives in src/gateway (npm run gateway serves it too); tests keep importing it from here.
export { HR_DATA, HR_SDL, HR_UNKNOWN_TO_SF1500, startSecondSubgraph, type SecondSubgraph } from '../../src/gateway/hr';
