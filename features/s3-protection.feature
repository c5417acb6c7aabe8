@s3
Feature: Invoices survive overwrites and the loss of a region
  Invoices are kept in a versioned S3 bucket, so an overwritten invoice can be
  brought back, and every new invoice is copied to us-west-2 with S3
  Replication Time Control, which promises 15 minutes.

  Background:
    Given the "securecart" environment

  @versioning
  Scenario: An overwritten invoice is brought back from its previous version
    Given versioning is enabled on "invoices"
    When "invoices" is overwritten
    And the previous version in "invoices" is restored
    Then the restored "invoices" holds the data from before the incident

  @replication
  Scenario: New invoices reach us-west-2 within the Replication Time Control bound
    Given "invoices" replicates to "invoices-dr"
    And objects are written to "invoices" every 10 seconds
    And 5 minutes of business as usual passes
    Then every object written to "invoices" reaches "invoices-dr" within 15 minutes

  @replication @fis
  Scenario: Invoices written while replication is paused catch up afterwards
    Given "invoices" replicates to "invoices-dr"
    And objects are written to "invoices" every 10 seconds
    When the FIS experiment "pause-invoice-replication" runs
    And 10 minutes of business as usual passes
    Then every object written to "invoices" reaches "invoices-dr" within 30 minutes
