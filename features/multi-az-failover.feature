@rds @multi-az
Feature: The orders database survives the loss of its Availability Zone
  SecureCart keeps customer orders in an RDS database with a synchronous
  standby in a second Availability Zone. When the primary's zone fails, AWS
  switches to the standby. Orders already confirmed must not be lost, and
  the database must take orders again within minutes.

  Background:
    Given the "securecart" environment
    And the recovery objectives are RTO 5 minutes and RPO 0 seconds

  Scenario: A forced failover injected by FIS loses no confirmed order
    Given orders are written to "orders-db" every 5 seconds
    And "orders-db" is healthy
    When the FIS experiment "rds-reboot-with-failover" runs
    Then "orders-db" is healthy again within the RTO
    And no more than the RPO of orders is lost

  Scenario: The primary's zone loses its network and an operator fails over by hand
    Given orders are written to "orders-db" every 5 seconds
    And "orders-db" is healthy
    When the FIS experiment "az-connectivity-loss" runs
    And "orders-db" fails over to its standby
    Then "orders-db" is healthy again within 3 minutes
    And at most 0 seconds of writes to "orders-db" are lost
