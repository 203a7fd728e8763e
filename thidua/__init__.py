"""The composition root: what puts the three services and the gateway together into one system (the `thidua`
command, the list of apps, the demo load, the plan tool). It may import any package; kit, the services and the
gateway never import it (`lint-imports` checks)."""
