// Was: preset: '@shelf/jest-dynamodb'. jest-dynamodb-config.js stays as it was.
module.exports = { preset: 'openddb' };
