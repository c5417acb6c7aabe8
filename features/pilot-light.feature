@pilot-light @region-outage
Feature: Pilot light: SecureCart is recovered in us-west-2 when us-east-1 is lost
  SecureCart keeps a read replica of the orders database in us-west-2 and no
  running servers there: a pilot light. If us-east-1 is lost, the replica is
  promoted to be the new primary, servers are started in us-west-2 and DNS is
  pointed there. Orders confirmed in the last seconds before the outage may
  not have reached the replica yet; the business accepts losing at most one
  minute of them, and being down for at most three quarters of an hour.

  Background:
    Given the "securecart" environment

  @rds
  Scenario: The primary region loses its orders database
    Given the recovery objectives are RTO 15 minutes and RPO 1 minute
    And orders are written to "orders-db" every 5 seconds
    And "orders-db" is healthy
    When the primary region "us-east-1" becomes unavailable
    And the read replica "orders-db-replica" is promoted
    Then "orders-db" is healthy again within the RTO
    And no more than the RPO of orders is lost

  @dns
  Scenario: Customers reach the orders service in us-west-2 again
    Given the recovery objectives are RTO 45 minutes and RPO 1 minute
    And orders are written to "orders-db" every 5 seconds
    And "orders-api" is healthy
    When the primary region "us-east-1" becomes unavailable
    And the read replica "orders-db-replica" is promoted
    And the standby capacity in "us-west-2" is scaled up
    And DNS for "api.securecart.example" fails over to "us-west-2"
    Then "orders-api" is healthy again within the RTO
    And no more than the RPO of orders is lost
