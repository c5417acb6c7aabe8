@dynamodb @backup @backup-and-restore
Feature: Order history is recovered after a bad deployment corrupts it
  Point-in-time recovery lets SecureCart rebuild the order history table as
  it was at any second of the last 35 days, into a new table.

  Scenario: Corrupted items are restored with point-in-time recovery
    Given the "securecart" environment
    And the recovery objectives are RTO 2 hours and RPO 15 minutes
    And point-in-time recovery is enabled on "order-history"
    And orders are written to "order-history" every 30 seconds
    And 1 hour of business as usual passes
    When 20 items of "order-history" are corrupted
    And "order-history" is restored to 10 minutes before the incident as "order-history-restored"
    Then the restored "order-history-restored" holds the data from before the incident
    And "order-history-restored" is healthy again within the RTO
    And no more than the RPO of orders is lost
