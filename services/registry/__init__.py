"""Registry service: units and their lineage, people, blocs, movements and registrations."""
