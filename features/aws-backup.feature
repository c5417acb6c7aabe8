@backup @backup-and-restore
Feature: The daily AWS Backup plan can bring the orders database back
  The securecart-daily plan backs up every resource tagged backup=daily and
  keeps each recovery point for seven days. A backup nobody has restored is a
  hope, not a plan: this runs the plan, then restores from what it made.

  Scenario: Orders deleted after the nightly backup are restored from it
    Given the "securecart" environment
    And the recovery objectives are RTO 3 hours and RPO 24 hours
    And orders are written to "orders-db" every 1 minute
    And 1 hour of business as usual passes
    When the "securecart-daily" backup plan runs
    And 1 hour of business as usual passes
    And 10 orders are deleted from "orders-db" by mistake
    And "orders-db" is restored from its latest recovery point as "orders-db-from-backup"
    Then the restored "orders-db-from-backup" holds the data from before the incident
    And "orders-db-from-backup" is healthy again within the RTO
    And no more than the RPO of orders is lost
