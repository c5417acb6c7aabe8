@rds @aurora
Feature: Checkout keeps taking orders when its Aurora writer fails over
  SecureCart's checkout writes carts and orders to an Aurora PostgreSQL
  cluster: a writer in one Availability Zone, two readers in the others, all
  on one shared storage volume. When the writer fails, Aurora promotes a
  reader, the lowest promotion tier first, then the largest, in about half a
  minute. Checkout writes through the cluster endpoint, so orders fail only
  while the failover lasts, and no confirmed order is lost.

  Background:
    Given the "securecart" environment
    And the recovery objectives are RTO 2 minutes and RPO 0 seconds

  Scenario: FIS fails the cluster over and the tier-0 reader takes the writes
    Given orders are written to "checkout-cluster" every 5 seconds
    And "checkout-cluster" is healthy
    When the FIS experiment "checkout-cluster-failover" runs
    Then "checkout-cluster" is healthy again within the RTO
    And no more than the RPO of orders is lost
    And the writer of "checkout-cluster" is in "us-east-1b"
    And the writer of "checkout-cluster" has promotion tier 0

  Scenario: An operator fails the cluster over on purpose
    Given orders are written to "checkout-cluster" every 5 seconds
    When "checkout-cluster" fails over to a reader
    Then "checkout-cluster" is healthy again within 1 minute
    And at most 0 seconds of writes to "checkout-cluster" are lost
