// n8n loads nodes and credentials from the paths in package.json's "n8n" section;
// this entry point exists only so that `require('n8n-nodes-amocrm')` resolves.
module.exports = {};
