/** Pipelines the MCP tests expose as tools: a greeting (a run to wait for) and a post that needs approval. */
export const GREET = `name: greet
description: Writes a greeting
inputs:
  who: { type: string, description: Whom to greet }
steps:
  - id: text
    uses: core.set
    with: { text: "Hello, \${{ inputs.who }}!" }
outputs:
  text: \${{ steps.text.outputs.text }}
`;

export const PUBLISH = `name: publish
description: Posts a text after approval
inputs:
  url: { type: string, description: Where to post }
steps:
  - id: post
    uses: http.request
    approval: required
    with: { url: "\${{ inputs.url }}/posts", method: POST, json: { text: hello } }
outputs:
  status: \${{ steps.post.outputs.status }}
`;
