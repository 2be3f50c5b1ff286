// Apollo's editor tooling (the Apollo GraphQL extension for VS Code and the language server):
// autocomplete, validation and go-to-definition for the operations in examples/ against the
// subgraph's SDL. The SDL is generated from the code: `npm run schema` rewrites it and
// test/schema.test.ts fails when it is stale.
const path = require('path');

module.exports = {
  client: {
    service: {
      name: 'sf1500-subgraph',
      localSchemaFile: path.join(__dirname, 'schema/subgraph.graphql'),
    },
    includes: [path.join(__dirname, 'examples/**/*.graphql')],
    excludes: [path.join(__dirname, 'schema/**'), '**/node_modules/**'],
  },
};
