@rds @pilot-light @region-outage
Feature: Pilot light: the orders database is recovered in the standby region
  SecureCart keeps a read replica of the orders database in us-west-2. If
  us-east-1 is lost, the replica is promoted to be the new primary. Orders
  confirmed in the last seconds before the outage may not have reached the
  replica yet; the business accepts losing at most one minute of them.

  Scenario: The primary region loses its orders database
    Given the "securecart" environment
    And the recovery objectives are RTO 15 minutes and RPO 1 minute
    And orders are written to "orders-db" every 5 seconds
    And "orders-db" is healthy
    When the primary region "us-east-1" becomes unavailable
    And the read replica "orders-db-replica" is promoted
    Then "orders-db" is healthy again within the RTO
    And no more than the RPO of orders is lost
