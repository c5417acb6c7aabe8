@warm-standby @region-outage @dns
Feature: Warm standby: Route 53 moves customers to us-west-2 on its own
  In the warm-standby set-up a reduced fleet of the orders service always
  runs in us-west-2, and Route 53 checks both regions every 10 seconds. When
  us-east-1 goes, the replica is promoted and the standby fleet scaled up;
  the health checks then send customers to us-west-2 without anyone editing
  DNS. The business expects service back within minutes.

  Scenario: The primary region is lost and health checks fail DNS over
    Given the "securecart-warm-standby" environment
    And the recovery objectives are RTO 15 minutes and RPO 1 minute
    And orders are written to "orders-db" every 5 seconds
    And "orders-api" is healthy
    When the primary region "us-east-1" becomes unavailable
    And the read replica "orders-db-replica" is promoted
    And the standby capacity in "us-west-2" is scaled up
    Then "orders-api" is healthy again within the RTO
    And no more than the RPO of orders is lost
