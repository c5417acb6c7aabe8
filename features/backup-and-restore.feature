@rds @backup @backup-and-restore
Feature: Orders can be brought back from backups
  Automated backups let SecureCart restore the orders database to any second
  of the last seven days, and snapshots copied to us-west-2 survive the loss
  of us-east-1. Restores take a while: the business accepts hours.

  Background:
    Given the "securecart" environment

  Scenario: Orders deleted by mistake are recovered with a point-in-time restore
    Given the recovery objectives are RTO 2 hours and RPO 15 minutes
    And automated backups of "orders-db" are retained for at least 7 days
    And orders are written to "orders-db" every 30 seconds
    And 1 hour of business as usual passes
    When 25 orders are deleted from "orders-db" by mistake
    And "orders-db" is restored to 10 minutes before the incident as "orders-db-pitr"
    Then the restored "orders-db-pitr" holds the data from before the incident
    And "orders-db-pitr" is healthy again within the RTO
    And no more than the RPO of orders is lost

  @region-outage
  Scenario: The orders database is rebuilt in us-west-2 from a copied snapshot
    Given the recovery objectives are RTO 4 hours and RPO 24 hours
    And orders are written to "orders-db" every 1 minute
    And 2 hours of business as usual passes
    When "orders-db" is snapshotted as "orders-db-dr-copy"
    And the snapshot "orders-db-dr-copy" is copied to "us-west-2"
    And the primary region "us-east-1" becomes unavailable
    And "orders-db" is restored from its latest snapshot as "orders-db-rebuilt"
    Then "orders-db-rebuilt" is healthy again within the RTO
    And the restored "orders-db-rebuilt" holds the data from before the incident
    And no more than the RPO of orders is lost

  Scenario: Every database keeps a week of automated backups
    Then every RDS instance keeps automated backups for at least 7 days
