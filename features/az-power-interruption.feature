@az-power @multi-az
Feature: SecureCart rides out the loss of power in one Availability Zone
  AWS's FIS scenario library describes what a zone losing power looks like:
  its instances stop and cannot be relaunched there, its volumes stall, its
  network drops, a Multi-AZ database whose primary is there fails over, and
  traffic shifts away from it. SecureCart runs its orders service in two
  zones and its database with a standby in the other: confirmed orders must
  survive, and customers must be able to order again within minutes.

  Background:
    Given the "securecart" environment
    And the recovery objectives are RTO 5 minutes and RPO 0 seconds

  Scenario: The orders database fails over out of the zone without losing an order
    Given orders are written to "orders-db" every 5 seconds
    And "orders-db" is healthy
    When the FIS experiment "az-power-interruption" runs
    Then "orders-db" is healthy again within the RTO
    And no more than the RPO of orders is lost

  Scenario: Customers keep ordering from the other zone
    Given orders are written to "orders-db" every 5 seconds
    And "orders-api" is healthy
    When the FIS experiment "az-power-interruption" runs
    Then "orders-api" is healthy again within the RTO
    And no more than the RPO of orders is lost
