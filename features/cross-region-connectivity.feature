@cross-region @replication
Feature: SecureCart's data reaches us-west-2 again after the regions are cut off
  AWS's FIS scenario library describes a loss of connectivity between two
  regions: transit gateway peering and routes to the other region are
  blocked, and S3 and DynamoDB replication stop. SecureCart keeps serving
  from us-east-1 meanwhile; what it writes must reach us-west-2 once the
  regions see each other again, within the replication bounds it promises.

  Background:
    Given the "securecart" environment

  Scenario: Invoices written while the regions are cut off reach us-west-2 afterwards
    Given "invoices" replicates to "invoices-dr"
    And objects are written to "invoices" every 10 seconds
    When the FIS experiment "cross-region-connectivity" runs
    And 10 minutes of business as usual passes
    Then every object written to "invoices" reaches "invoices-dr" within 30 minutes

  Scenario: Customers in us-east-1 keep ordering while the regions are cut off
    Given the recovery objectives are RTO 1 minute and RPO 0 seconds
    And orders are written to "orders-db" every 5 seconds
    And "orders-api" is healthy
    When the FIS experiment "cross-region-connectivity" runs
    Then "orders-api" is healthy again within the RTO
    And no more than the RPO of orders is lost
