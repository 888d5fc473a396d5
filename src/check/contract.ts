// Generated from src/schema/ by `npm run contract`: do not edit. A test fails when it is stale.
import type { Node } from './interpret.js'

/** The wire contract as JSON Schema (the subset src/check/interpret.ts reads), one entry per body. */
export const CONTRACT = {
  "event": {
    "type": "object",
    "properties": {
      "project": {
        "type": "string",
        "minLength": 1
      },
      "source": {
        "type": "string",
        "minLength": 1
      },
      "event_name": {
        "type": "string",
        "minLength": 1
      },
      "event_type": {
        "type": "string",
        "enum": [
          "model",
          "tool",
          "chain"
        ]
      },
      "event_id": {
        "type": "string",
        "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
      },
      "session_id": {
        "type": "string",
        "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
      },
      "parent_id": {
        "type": "string",
        "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
      },
      "children_ids": {
        "type": "array",
        "items": {
          "type": "string",
          "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
        }
      },
      "config": {
        "type": "object"
      },
      "inputs": {
        "type": "object"
      },
      "outputs": {
        "type": "object"
      },
      "error": {
        "type": "string"
      },
      "start_time": {
        "type": "number"
      },
      "end_time": {
        "type": "integer",
        "minimum": -9007199254740991,
        "maximum": 9007199254740991
      },
      "duration": {
        "type": "number"
      },
      "metadata": {
        "type": "object"
      },
      "feedback": {
        "type": "object"
      },
      "metrics": {
        "type": "object"
      },
      "user_properties": {
        "type": "object"
      }
    },
    "required": [
      "project",
      "source",
      "event_name",
      "event_type",
      "config",
      "inputs",
      "duration"
    ],
    "additionalProperties": false
  },
  "update": {
    "type": "object",
    "properties": {
      "event_id": {
        "type": "string",
        "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
      },
      "metadata": {
        "type": "object"
      },
      "feedback": {
        "type": "object"
      },
      "metrics": {
        "type": "object"
      },
      "outputs": {
        "type": "object"
      },
      "config": {
        "type": "object"
      },
      "user_properties": {
        "type": "object"
      },
      "duration": {
        "type": "number"
      }
    },
    "required": [
      "event_id"
    ],
    "additionalProperties": false
  },
  "session": {
    "type": "object",
    "properties": {
      "project": {
        "type": "string",
        "minLength": 1
      },
      "session_name": {
        "type": "string",
        "minLength": 1
      },
      "source": {
        "type": "string",
        "minLength": 1
      },
      "session_id": {
        "type": "string",
        "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
      },
      "children_ids": {
        "type": "array",
        "items": {
          "type": "string",
          "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
        }
      },
      "config": {
        "type": "object"
      },
      "inputs": {
        "type": "object"
      },
      "outputs": {
        "type": "object"
      },
      "error": {
        "type": "string"
      },
      "duration": {
        "type": "number"
      },
      "user_properties": {
        "type": "object"
      },
      "metrics": {
        "type": "object"
      },
      "feedback": {
        "type": "object"
      },
      "metadata": {
        "type": "object"
      },
      "start_time": {
        "type": "number"
      },
      "end_time": {
        "type": "integer",
        "minimum": -9007199254740991,
        "maximum": 9007199254740991
      }
    },
    "required": [
      "project",
      "session_name",
      "source"
    ],
    "additionalProperties": false
  },
  "envelope": {
    "type": "object",
    "properties": {
      "sessions": {
        "type": "array",
        "items": {
          "type": "object"
        }
      },
      "events": {
        "type": "array",
        "items": {
          "type": "object"
        }
      },
      "updates": {
        "type": "array",
        "items": {
          "type": "object"
        }
      }
    },
    "additionalProperties": false
  },
  "envelopeResult": {
    "type": "object",
    "properties": {
      "accepted": {
        "type": "array",
        "items": {
          "type": "string"
        }
      },
      "rejected": {
        "type": "array",
        "items": {
          "type": "object",
          "properties": {
            "id": {
              "type": "string"
            },
            "kind": {
              "type": "string",
              "enum": [
                "session",
                "event",
                "update"
              ]
            },
            "code": {
              "type": "string"
            },
            "message": {
              "type": "string"
            }
          },
          "required": [
            "id",
            "code",
            "message"
          ]
        }
      }
    },
    "required": [
      "accepted",
      "rejected"
    ]
  }
} as const satisfies Record<string, Node>
