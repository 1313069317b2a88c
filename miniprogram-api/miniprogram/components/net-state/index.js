// Shows the page's network state (offline / slow) and a loading line.
Component({ properties: { net: { type: String, value: '' }, loading: { type: Boolean, value: false } } })
