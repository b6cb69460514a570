// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {BaseNftCollection} from "./BaseNftCollection.sol";

/// @title BaseNftFactory
/// @notice Creates base-nft collections as EIP-1167 minimal-proxy clones of one BaseNftCollection implementation.
///         The caller becomes the collection's admin (DEFAULT_ADMIN_ROLE, PAUSER_ROLE); the engine's minter address
///         configured here gets MINTER_ROLE.
/// @dev    Every collection is bound to the one campaign it is for: it is deployed with CREATE2 at an address derived
///         from (caller, campaignId), and its CollectionCreated event carries that campaignId, so the engine can refuse
///         to attach it to any other campaign. The caller is part of the salt so that nobody can block a creator's
///         deploy by sending the same campaign's deploy first: that only creates another collection, at another
///         address, that names the sender as its creator.
contract BaseNftFactory {
    /// @notice Emitted for every new collection (the clone's address is `collection`), created by `creator` for the
    ///         campaign `campaignId` (the engine's campaign UUID in the low 16 bytes, the high 16 bytes zero).
    event CollectionCreated(
        address indexed creator,
        address indexed collection,
        bytes32 indexed campaignId,
        string name,
        string symbol,
        string baseURI
    );

    /// @notice The implementation or minter given to the constructor was the zero address.
    error ZeroAddress();

    address private immutable _implementation;
    // Immutable on purpose: there is no owner and no setter, so nobody can redirect MINTER_ROLE of future collections.
    // To change the minter, operators deploy a new factory (existing collections keep their roles; their admin can
    // grant or revoke MINTER_ROLE on each collection).
    address private immutable _minter;

    constructor(address implementation_, address minter_) {
        if (implementation_ == address(0) || minter_ == address(0)) revert ZeroAddress();
        _implementation = implementation_;
        _minter = minter_;
    }

    /// @notice Deploys the collection of campaign `campaignId` for the caller, at predictCollection(caller, campaignId).
    /// @dev    Reverts with FailedDeployment() when the caller already created a collection for this campaign (CREATE2
    ///         cannot deploy twice at one address).
    function createCollection(bytes32 campaignId, string calldata name, string calldata symbol, string calldata baseURI)
        external
        returns (address collection)
    {
        collection = Clones.cloneDeterministic(_implementation, _salt(msg.sender, campaignId));
        BaseNftCollection(collection).initialize(name, symbol, baseURI, msg.sender, _minter);
        emit CollectionCreated(msg.sender, collection, campaignId, name, symbol, baseURI);
    }

    /// @notice The address createCollection(campaignId, …) sent by `creator` deploys to (whether or not it did yet).
    function predictCollection(address creator, bytes32 campaignId) external view returns (address) {
        return Clones.predictDeterministicAddress(_implementation, _salt(creator, campaignId));
    }

    function implementation() external view returns (address) {
        return _implementation;
    }

    function minter() external view returns (address) {
        return _minter;
    }

    function _salt(address creator, bytes32 campaignId) private pure returns (bytes32) {
        return keccak256(abi.encode(creator, campaignId));
    }
}
